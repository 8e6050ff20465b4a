using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class ReceiveAsyncSpec : Gpuvmsim.TestKit.TestKit
{
    /// <summary>For each request asks the echo actor, then replies to the original sender with what came back.</summary>
    private sealed class AsyncRelay : ReceiveActor
    {
        private readonly List<string> _log;

        public AsyncRelay(IActorRef echo, List<string> log)
        {
            _log = log;
            ReceiveAsync<string>(async request =>
            {
                _log.Add("start " + request);
                var reply = await echo.Ask<string>(request + "!");
                _log.Add("end " + request);
                Sender.Tell(reply + " via " + Self.Path.Name);
            }, r => r != "fail" && r != "yield");
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                _log.Add("after yield on " + Self.Path.Name);
                Sender.Tell("yielded");
            }, r => r == "yield");
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async failure");
            }, r => r == "fail");
            Receive<int>(n => Sender.Tell(n));
        }
    }

    [Fact]
    public void ReceiveAsync_suspends_the_mailbox_until_the_task_completes()
    {
        var log = new List<string>();
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var relay = Sys.ActorOf(Props.Create(() => new AsyncRelay(echo, log)), "relay");
        relay.Tell("a");
        relay.Tell("b");
        Assert.Equal("a! via relay", ExpectMsg<string>());
        Assert.Equal("b! via relay", ExpectMsg<string>());
        Assert.Equal(new[] { "start a", "end a", "start b", "end b" }, log);
    }

    [Fact]
    public void Continuations_run_in_the_actors_context_with_the_original_sender()
    {
        var log = new List<string>();
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var relay = Sys.ActorOf(Props.Create(() => new AsyncRelay(echo, log)), "relay");
        var probe = CreateTestProbe();
        relay.Tell("yield", probe);
        probe.ExpectMsg("yielded");
        Assert.Equal(new[] { "after yield on relay" }, log);
    }

    [Fact]
    public void User_messages_wait_while_system_messages_keep_flowing()
    {
        var log = new List<string>();
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var relay = Sys.ActorOf(Props.Create(() => new AsyncRelay(echo, log)), "relay");
        relay.Tell("a");
        relay.Tell(7);
        Assert.Equal("a! via relay", ExpectMsg<string>());
        Assert.Equal(7, ExpectMsg<int>());
    }

    [Fact]
    public void A_faulted_async_handler_fails_the_actor_like_a_thrown_exception()
    {
        var log = new List<string>();
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var relay = Sys.ActorOf(Props.Create(() => new AsyncRelay(echo, log)), "relay");
        EventFilter.Exception<InvalidOperationException>(message: "async failure").ExpectOne(() => relay.Tell("fail"));
        relay.Tell(1);
        Assert.Equal(1, ExpectMsg<int>());
    }

    [Fact]
    public void An_async_run_is_deterministic_under_a_random_strategy()
    {
        string Run()
        {
            var system = ActorSystem.Create("async", new ActorSystemSettings { Strategy = "random", Seed = 3, Trace = true });
            var log = new List<string>();
            var echo = system.ActorOf(Props.Create<EchoActor>(), "echo");
            var relay = system.ActorOf(Props.Create(() => new AsyncRelay(echo, log)), "relay");
            foreach (var m in new[] { "a", "yield", "b" }) relay.Tell(m, null);
            system.Deterministic!.RunUntilQuiescent();
            return system.Deterministic.Trace!.ToText();
        }
        var first = Run();
        Assert.Contains("<AsyncContinuation>", first);
        Assert.Equal(first, Run());
    }
}
