using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class BecomeSpec : Gpuvmsim.TestKit.TestKit
{
    private sealed class Moody : ReceiveActor
    {
        public Moody() => Happy();

        private void Happy()
        {
            Receive<string>(s => s == "mood", _ => Sender.Tell("happy"));
            Receive<string>(s => s == "angry", _ => Become(Angry));
            Receive<string>(s => s == "push-angry", _ => BecomeStacked(Angry));
        }

        private void Angry()
        {
            Receive<string>(s => s == "mood", _ => Sender.Tell("angry"));
            Receive<string>(s => s == "pop", _ => UnbecomeStacked());
            Receive<string>(s => s == "unbecome", _ => Unbecome());
            Receive<string>(s => s == "push-sad", _ => BecomeStacked(() =>
            {
                Receive<string>(m => m == "mood", _ => Sender.Tell("sad"));
                Receive<string>(m => m == "pop", _ => UnbecomeStacked());
            }));
        }
    }

    private sealed class Toggle : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            Sender.Tell("on");
            Context.Become(m =>
            {
                Sender.Tell("off");
                Context.UnbecomeStacked();
                Context.Become(_ => { Sender.Tell("third"); return true; });
                return true;
            });
        }
    }

    private string Mood(IActorRef actor)
    {
        actor.Tell("mood");
        return ExpectMsg<string>();
    }

    [Fact]
    public void Become_replaces_the_behavior()
    {
        var moody = Sys.ActorOf(Props.Create<Moody>());
        Assert.Equal("happy", Mood(moody));
        moody.Tell("angry");
        Assert.Equal("angry", Mood(moody));
        moody.Tell("pop");
        Assert.Equal("angry", Mood(moody));
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_push_and_pop_behaviors()
    {
        var moody = Sys.ActorOf(Props.Create<Moody>());
        moody.Tell("push-angry");
        moody.Tell("push-sad");
        Assert.Equal("sad", Mood(moody));
        moody.Tell("pop");
        Assert.Equal("angry", Mood(moody));
        moody.Tell("unbecome");
        Assert.Equal("happy", Mood(moody));
        EventFilter.Unhandled<string>().ExpectOne(() => moody.Tell("pop"));
        Assert.Equal("happy", Mood(moody));
    }

    [Fact]
    public void Context_Become_works_for_untyped_actors()
    {
        var toggle = Sys.ActorOf(Props.Create<Toggle>());
        toggle.Tell(1);
        toggle.Tell(2);
        toggle.Tell(3);
        Assert.Equal(new object[] { "on", "off", "third" }, ReceiveN(3));
    }
}
