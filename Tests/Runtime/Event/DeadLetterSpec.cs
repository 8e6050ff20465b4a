using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Tests.Runtime.Event;

public sealed class DeadLetterSpec : Gpuvmsim.TestKit.TestKit
{
    [Fact]
    public void Messages_to_a_stopped_actor_are_published_as_DeadLetter_with_sender_and_recipient()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener, typeof(DeadLetter));
        echo.Tell(new Ping(1), TestActor);
        var letter = listener.ExpectMsg<DeadLetter>();
        Assert.Equal(new Ping(1), letter.Message);
        Assert.Equal(TestActor, letter.Sender);
        Assert.Equal(echo, letter.Recipient);
    }

    [Fact]
    public void Telling_DeadLetters_publishes_a_DeadLetter()
    {
        EventFilter.DeadLetter<string>(s => s == "lost").ExpectOne(() => Sys.DeadLetters.Tell("lost"));
    }

    [Fact]
    public void Messages_queued_when_an_actor_stops_become_dead_letters()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(PoisonPill.Instance);
        echo.Tell(1);
        echo.Tell(2);
        EventFilter.DeadLetter<int>().Expect(2, () => Driver.RunUntilQuiescent());
    }

    [Fact]
    public void An_unhandled_message_is_published_as_UnhandledMessage()
    {
        var counter = Sys.ActorOf(Props.Create<BecomeOnly>(), "only");
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener, typeof(UnhandledMessage));
        counter.Tell(42);
        var unhandled = listener.ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(counter, unhandled.Recipient);
    }

    [Fact]
    public void Unsubscribe_stops_the_events_and_a_stopped_subscriber_is_dropped()
    {
        var listener = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(listener, typeof(DeadLetter)));
        Assert.False(Sys.EventStream.Subscribe(listener, typeof(DeadLetter)));
        Assert.True(Sys.EventStream.Unsubscribe(listener, typeof(DeadLetter)));
        Sys.DeadLetters.Tell("nobody listens");
        listener.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Log_publishes_events_at_or_above_the_configured_level()
    {
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener, typeof(LogEvent));
        Sys.Log.Debug("hidden");
        Sys.Log.Info("shown {0}", 1);
        var info = listener.ExpectMsg<Info>();
        Assert.Equal("shown 1", info.Message);
        Assert.Equal(Sys.Scheduler.Now, info.Timestamp);
        listener.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    private sealed class BecomeOnly : ReceiveActor
    {
        public BecomeOnly() => Receive<string>(_ => { });
    }
}
