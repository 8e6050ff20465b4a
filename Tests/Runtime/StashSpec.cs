using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class StashSpec : Gpuvmsim.TestKit.TestKit
{
    /// <summary>Stashes everything until "open", then unstashes (all, or only ints with "open-ints").</summary>
    private sealed class Gate : ReceiveActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        public Gate() => Closed();

        private void Closed()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(Open);
                Stash.UnstashAll();
            });
            Receive<string>(s => s == "open-ints", _ =>
            {
                Become(Open);
                Stash.UnstashAll(m => m is int);
            });
            Receive<string>(s => s == "open-one", _ =>
            {
                Become(Open);
                Stash.Unstash();
            });
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("gate failed"));
            ReceiveAny(_ => Stash.Stash());
        }

        private void Open()
        {
            Receive<string>(s => s == "count", _ => Sender.Tell(Stash.Count));
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    [Fact]
    public void UnstashAll_puts_stashed_messages_back_in_order_ahead_of_newer_ones()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell(3);
        gate.Tell("open");
        gate.Tell(4);
        Assert.Equal(new object[] { 1, 2, 3, 4 }, ReceiveN(4));
    }

    [Fact]
    public void Unstashed_messages_keep_each_senders_order_and_reply_to_their_own_sender()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        var p1 = CreateTestProbe();
        var p2 = CreateTestProbe();
        gate.Tell("a1", p1);
        gate.Tell("b1", p2);
        gate.Tell("a2", p1);
        gate.Tell("b2", p2);
        gate.Tell("open");
        Assert.Equal("a1", p1.ExpectMsg<string>());
        Assert.Equal("a2", p1.ExpectMsg<string>());
        Assert.Equal("b1", p2.ExpectMsg<string>());
        Assert.Equal("b2", p2.ExpectMsg<string>());
    }

    [Fact]
    public void UnstashAll_with_a_predicate_leaves_the_others_stashed()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell(1);
        gate.Tell("x");
        gate.Tell(2);
        gate.Tell("open-ints");
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2));
        gate.Tell("count");
        Assert.Equal(1, ExpectMsg<int>());
    }

    [Fact]
    public void Unstash_puts_back_only_the_oldest_message()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell("open-one");
        Assert.Equal(1, ExpectMsg<int>());
        gate.Tell("count");
        Assert.Equal(1, ExpectMsg<int>());
    }

    [Fact]
    public void A_restart_returns_the_stash_to_the_mailbox()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell("fail");
        gate.Tell("open");
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2));
    }

    [Fact]
    public void Stopping_sends_the_stash_to_dead_letters()
    {
        var gate = Sys.ActorOf(Props.Create<Gate>());
        gate.Tell(1);
        gate.Tell(2);
        EventFilter.DeadLetter<int>().Expect(2, () => Sys.Stop(gate));
    }
}
