using Gpuvmsim.Domain.Contexts;
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

    public IReadOnlyList<IActorRef> Build(WorldContext world, Func<Props, string, IActorRef> actorOf)
    {
        AddScriptedLocks(world, actorOf, firstId: 1);
        return CreateContexts(world, actorOf, (id, pid, c) => Props.CreateBy(() => new ScriptContextActor(world, id, c.Name, pid, c.Steps)));
    }

    /// <summary>Creates an owner actor for each scripted lock, with ids from <paramref name="firstId"/> in declaration order.</summary>
    internal static int AddScriptedLocks(WorldContext world, Func<Props, string, IActorRef> actorOf, int firstId)
    {
        var id = firstId;
        foreach (var spec in world.Scenario.Locks)
        {
            var info = new LockInfo(new LockId(id++), spec.Name, new LockClass(spec.ClassName, spec.Kind));
            var owner = actorOf(Props.CreateBy(() => new LockOwnerActor(world, info)), ActorNameOf("lock", info.Id.Value, spec.Name));
            world.Directory.Locks.Add(spec.Name, new LockHandle(info, owner));
            world.Directory.AddActor(owner);
        }
        return id;
    }

    /// <summary>Creates the scripted contexts in declaration order (ids 1..n, pids 1001..) and registers them.</summary>
    internal static IReadOnlyList<IActorRef> CreateContexts(
        WorldContext world, Func<Props, string, IActorRef> actorOf, Func<ContextId, int, ContextSpec, Props> props)
    {
        var refs = new List<IActorRef>();
        for (var i = 0; i < world.Scenario.Contexts.Count; i++)
        {
            var c = world.Scenario.Contexts[i];
            var id = new ContextId(i + 1);
            var actor = actorOf(props(id, 1001 + i, c), ActorNameOf("ctx", i, c.Name));
            world.Directory.AddContext(id, c.Name, actor);
            refs.Add(actor);
        }
        return refs;
    }

    /// <summary>A valid, unique actor name for a scenario name (which may contain characters actor names forbid).</summary>
    internal static string ActorNameOf(string prefix, int index, string name) => $"{prefix}-{index}-{Safe(name)}";

    private static string Safe(string name)
    {
        if (!name.AsSpan().ContainsAnyExcept(ActorNameChars))
            return name;
        return string.Create(name.Length, name, static (chars, name) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = ActorNameChars.Contains(name[i]) ? name[i] : '_';
        });
    }

    private static readonly System.Buffers.SearchValues<char> ActorNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
}
