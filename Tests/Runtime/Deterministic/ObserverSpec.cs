using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

public sealed class ObserverSpec
{
    private sealed class Recorder : IDeliveryObserver
    {
        public readonly List<string> Events = [];

        public void BeforeDelivery(in DeliveryRecord delivery) =>
            Events.Add($"before {delivery.Step} {delivery.SenderPath}->{delivery.ReceiverPath} {delivery.Message}");

        public void AfterDelivery(in DeliveryRecord delivery) => Events.Add($"after {delivery.Step}");
    }

    private sealed class Invariant(Func<bool> holds) : IDeliveryObserver
    {
        public void BeforeDelivery(in DeliveryRecord delivery) { }

        public void AfterDelivery(in DeliveryRecord delivery)
        {
            if (!holds()) throw new InvalidOperationException($"invariant broken after step {delivery.Step}");
        }
    }

    [Fact]
    public void Observers_see_every_delivery_before_and_after_with_sender_receiver_and_message()
    {
        var system = ActorSystem.Create("obs");
        var recorder = new Recorder();
        system.Deterministic!.AddObserver(recorder);
        var echo = system.ActorOf(Props.Create<EchoActor>(), "echo");
        var counter = system.ActorOf(Props.Create<CounterActor>(), "counter");
        echo.Tell(new Ping(1), counter);
        system.Deterministic.RunUntilQuiescent();
        Assert.Equal(new[]
        {
            "before 0 /user/counter->/user/echo Ping { N = 1 }", "after 0",
            "before 1 /user/echo->/user/counter Ping { N = 1 }", "after 1",
        }, recorder.Events);
    }

    [Fact]
    public void An_invariant_checker_stops_the_run_at_the_first_bad_delivery()
    {
        var system = ActorSystem.Create("obs");
        var counter = system.ActorOf(Props.Create<CounterActor>(), "counter");
        int delivered = 0;
        var invariant = new Invariant(() => ++delivered < 3);
        system.Deterministic!.AddObserver(invariant);
        for (int i = 0; i < 5; i++) counter.Tell(i, null);
        var e = Assert.Throws<InvalidOperationException>(() => system.Deterministic.RunUntilQuiescent());
        Assert.Contains("after step 2", e.Message);
        Assert.Equal(3, system.Deterministic.StepCount);
        system.Deterministic.RemoveObserver(invariant);
        Assert.Equal(2, system.Deterministic.RunUntilQuiescent());
    }
}
