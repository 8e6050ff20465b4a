using Gpuvmsim.Domain.Contexts;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>The world of a lock script: one owner actor per scripted lock and one context per script.</summary>
public sealed class LockScriptWorld : IWorldBuilder
{
    public static LockScriptWorld Instance { get; } = new();

    public IReadOnlyList<IActorRef> Build(ActorSystem system, ScenarioSpec scenario, Design design, RunMonitor monitor)
    {
        var locks = new LockDirectory();
        AddScriptedLocks(system, scenario, monitor, locks);
        return StartContexts(system, scenario, monitor, (id, pid, c) =>
            Props.Create(() => new ScriptContextActor(monitor, id, c.Name, pid, c.Steps, locks)));
    }

    /// <summary>Creates an owner actor for each scripted lock; ids 1..n in declaration order.</summary>
    internal static void AddScriptedLocks(ActorSystem system, ScenarioSpec scenario, RunMonitor monitor, LockDirectory locks)
    {
        for (var i = 0; i < scenario.Locks.Count; i++)
        {
            var spec = scenario.Locks[i];
            var info = new LockInfo(new LockId(i + 1), spec.Name, new LockClass(spec.ClassName, spec.Kind));
            var owner = system.ActorOf(Props.Create(() => new LockOwnerActor(monitor, info)), ActorNameOf("lock", i, spec.Name));
            locks.Add(spec.Name, new LockHandle(info, owner));
        }
    }

    /// <summary>Creates the contexts in declaration order (ids 1..n, pids 1001..); returns them to start.</summary>
    internal static IReadOnlyList<IActorRef> StartContexts(
        ActorSystem system, ScenarioSpec scenario, RunMonitor monitor, Func<ContextId, int, ContextSpec, Props> props)
    {
        var refs = new List<IActorRef>();
        for (var i = 0; i < scenario.Contexts.Count; i++)
        {
            var c = scenario.Contexts[i];
            refs.Add(system.ActorOf(props(new ContextId(i + 1), 1001 + i, c), ActorNameOf("ctx", i, c.Name)));
        }
        return refs;
    }

    /// <summary>A valid, unique actor name for a scenario name (which may contain characters actor names forbid).</summary>
    internal static string ActorNameOf(string prefix, int index, string name)
    {
        var safe = new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
        return $"{prefix}-{index}-{safe}";
    }
}
