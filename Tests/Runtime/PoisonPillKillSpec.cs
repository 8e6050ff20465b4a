using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class PoisonPillKillSpec : Gpuvmsim.TestKit.TestKit
{
    [Fact]
    public void PoisonPill_stops_the_actor_after_the_messages_sent_before_it()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Watch(echo);
        echo.Tell(1);
        echo.Tell(2);
        echo.Tell(PoisonPill.Instance);
        echo.Tell(3);
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2));
        ExpectTerminated(echo);
        ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Messages_after_a_PoisonPill_become_dead_letters()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(PoisonPill.Instance);
        EventFilter.DeadLetter<int>().ExpectOne(() => echo.Tell(3));
    }

    [Fact]
    public void Kill_fails_the_actor_with_ActorKilledException_and_the_default_supervisor_stops_it()
    {
        var counter = Sys.ActorOf(Props.Create<CounterActor>(), "counter");
        Watch(counter);
        EventFilter.Exception<ActorKilledException>().ExpectOne(() => counter.Tell(Kill.Instance));
        ExpectTerminated(counter);
    }
}
