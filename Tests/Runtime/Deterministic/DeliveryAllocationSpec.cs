using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

/// <summary>
/// The deterministic hot path (choose, dequeue, record, invoke, tell, enqueue) allocates nothing per delivery beyond
/// the recording: 4 bytes of choice log, plus an 8-byte message reference when tracing. Counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, which is exact, so this is not a timing test.
/// </summary>
public sealed class DeliveryAllocationSpec
{
    private const int Deliveries = 200_000;

    private sealed class Ball;

    /// <summary>Sends every ball back to its sender until its budget is spent.</summary>
    private sealed class Player : ReceiveActor
    {
        private int _replies;

        public Player(int replies)
        {
            _replies = replies;
            Receive<Ball>(ball =>
            {
                if (_replies-- > 0) Sender.Tell(ball, Self);
            });
        }
    }

    /// <remarks>The bounds leave about a byte per delivery for the logs' chunk headers and the rings' growth; any object
    /// allocated per delivery (24 bytes at least) breaks them.</remarks>
    [Theory]
    [InlineData(false, 5.0)]
    [InlineData(true, 13.0)]
    public void A_delivery_allocates_only_its_record(bool trace, double maxBytesPerDelivery)
    {
        var system = ActorSystem.Create("alloc", new ActorSystemSettings { Strategy = "random", Seed = 1, Trace = trace });
        const int inFlight = 8;
        int replies = (Deliveries - inFlight) / 2;
        var a = system.ActorOf(Props.Create(() => new Player(replies)), "a");
        var b = system.ActorOf(Props.Create(() => new Player(replies)), "b");
        var ball = new Ball();
        for (int i = 0; i < inFlight / 2; i++)
        {
            a.Tell(ball, b);
            b.Tell(ball, a);
        }
        var driver = system.Deterministic!;
        driver.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long steps = driver.RunUntilQuiescent();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        system.Terminate();

        Assert.Equal(Deliveries - 1, steps);
        double perDelivery = allocated / (double)steps;
        Assert.True(perDelivery <= maxBytesPerDelivery, $"{perDelivery:F2} bytes per delivery ({allocated} in all)");
    }
}
