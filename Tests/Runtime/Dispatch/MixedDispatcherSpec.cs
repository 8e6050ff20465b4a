using System.Diagnostics;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime.Dispatch;

/// <summary>A deterministic system with one actor deployed on a thread-pool dispatcher.</summary>
public sealed class MixedDispatcherSpec
{
    private static readonly ActorSystemSettings Mixed = new()
    {
        Dispatchers = new Dictionary<string, DispatcherSettings> { ["pool"] = new(DispatcherType.ThreadPool, 10) },
        Deployments = new Dictionary<string, string> { ["/user/worker"] = "pool" },
    };

    [Fact]
    public void A_deployment_puts_an_actor_on_a_named_dispatcher()
    {
        var system = ActorSystem.Create("mixed", Mixed);
        var worker = (LocalActorRef)system.ActorOf(Props.Create<EchoActor>(), "worker");
        var local = (LocalActorRef)system.ActorOf(Props.Create<EchoActor>(), "local");
        var viaProps = (LocalActorRef)system.ActorOf(Props.Create<EchoActor>().WithDispatcher("pool"), "other");
        Assert.Equal("pool", worker.Cell.Dispatcher.Id);
        Assert.Equal(DispatcherType.ThreadPool, worker.Cell.Dispatcher.Type);
        Assert.Equal(DispatcherType.Deterministic, local.Cell.Dispatcher.Type);
        Assert.Equal(DispatcherType.ThreadPool, viaProps.Cell.Dispatcher.Type);
        system.Terminate();
    }

    [Fact]
    public void Replies_from_a_thread_pool_actor_enter_the_deterministic_side_at_the_next_step()
    {
        var system = ActorSystem.Create("mixed", Mixed);
        var worker = system.ActorOf(Props.Create<EchoActor>(), "worker");
        var received = new List<object>();
        var collector = system.ActorOf(Props.CreateBy(() => new Collect(received)), "collector");
        for (int i = 0; i < 10; i++) worker.Tell(i, collector);
        var watch = Stopwatch.StartNew();
        while (received.Count < 10 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (!system.Deterministic!.Step()) Thread.Yield();
        }
        Assert.Equal(Enumerable.Range(0, 10).Cast<object>(), received);
        system.Terminate();
    }

    private sealed class Collect(List<object> received) : UntypedActor
    {
        protected override void OnReceive(object message) => received.Add(message);
    }
}
