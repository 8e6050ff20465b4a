using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Runtime;

public sealed record Ping(int N);

public sealed record Pong(int N);

/// <summary>Replies to every message with the same message.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Forwards everything to a target, keeping the sender.</summary>
public sealed class ForwardingActor : ReceiveActor
{
    public ForwardingActor(IActorRef target) => ReceiveAny(m => target.Forward(m));
}

/// <summary>Reports lifecycle hooks to a probe as strings.</summary>
public sealed class LifecycleActor : UntypedActor
{
    private readonly IActorRef _probe;
    private readonly string _tag;

    public LifecycleActor(IActorRef probe, string tag)
    {
        _probe = probe;
        _tag = tag;
        _probe.Tell($"{_tag}:ctor", null);
    }

    protected override void PreStart() => _probe.Tell($"{_tag}:PreStart", null);

    protected override void PostStop() => _probe.Tell($"{_tag}:PostStop", null);

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"{_tag}:PreRestart:{message}", null);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell($"{_tag}:PostRestart", null);
        base.PostRestart(reason);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case "fail": throw new InvalidOperationException("boom");
            case Props props: Sender.Tell(Context.ActorOf(props, "child"), Self); break;
            default: Sender.Tell($"{_tag}:got:{message}", Self); break;
        }
    }
}

/// <summary>Counts messages; "fail" throws; "get" replies the count. Hashable state for DFS tests.</summary>
public sealed class CounterActor : ReceiveActor, IStateHashable
{
    public int Count { get; private set; }

    public CounterActor()
    {
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("counter failed"));
        Receive<string>(s => s == "get", _ => Sender.Tell(Count, Self));
        Receive<string>(s => s == "kill-arg", _ => throw new ArgumentException("bad argument"));
        ReceiveAny(_ => Count++);
    }

    public void AddState(ref StateHasher hasher) => hasher.Add(Count);
}
