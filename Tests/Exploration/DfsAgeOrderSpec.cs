using System.Collections.Concurrent;
using Gpuvmsim.Domain.Contexts;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Exploration;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Exploration;

/// <summary>
/// Wait-die outcomes depend on which acquire context is older, so a complete dfs search must try every order in
/// which contexts take their ww stamps: the sleep sets and the state cache may merge schedules only when stamps
/// cannot tell them apart.
/// </summary>
public class DfsAgeOrderSpec
{
    [Fact]
    public void Dfs_tries_every_age_order_of_three_contexts_that_start_with_a_ww_lock()
    {
        var orders = AgeOrdersExplored("""
            scenario {
              name = "three-acquire-contexts"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex }, { name = C, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
                { name = T2, steps = [ { lock = B }, { lock = C }, { unlock = C }, { unlock = B } ] }
                { name = T3, steps = [ { lock = C }, { lock = A }, { unlock = A }, { unlock = C } ] }
              ]
            }
            """);

        Assert.Equal(["T1<T2<T3", "T1<T3<T2", "T2<T1<T3", "T2<T3<T1", "T3<T1<T2", "T3<T2<T1"], orders.Order(StringComparer.Ordinal));
    }

    /// <summary>Explores <paramref name="hocon"/> exhaustively and returns the orders in which its contexts took ww stamps.</summary>
    private static IReadOnlyCollection<string> AgeOrdersExplored(string hocon)
    {
        var spec = ScenarioParser.ParseString(hocon, "age-order.conf");
        var world = new AgeRecordingWorld();
        var result = Explorer.Explore(spec, ScenarioValidator.Designs(spec)["v2"],
            new ExploreOptions { Strategy = "dfs", Budget = 1_000_000 }, world);
        Assert.True(result.Exhausted);
        return [.. world.Orders.Keys];
    }

    /// <summary>The lock-script world whose contexts note, per run, the order in which they took a ww stamp.</summary>
    private sealed class AgeRecordingWorld : IWorldBuilder
    {
        public ConcurrentDictionary<string, bool> Orders { get; } = new();

        public IReadOnlyList<IActorRef> Build(WorldContext world, Func<Props, string, IActorRef> actorOf)
        {
            LockScriptWorld.AddScriptedLocks(world, actorOf, firstId: 1);
            var run = new AgeOrder(world.Scenario.Contexts.Count(c => c.Steps.Any(s => s is LockStep l && IsWw(world, l.Lock))), Orders);
            return LockScriptWorld.CreateContexts(world, actorOf,
                (id, pid, c) => Props.CreateBy(() => new AgeRecordingContext(world, id, c.Name, pid, c.Steps, run)));
        }

        private static bool IsWw(WorldContext world, string lockName) =>
            world.Scenario.Locks.Single(l => l.Name == lockName).Kind == LockKind.WwMutex;
    }

    /// <summary>One run's stamp order; complete once every context with a ww lock step took its first stamp.</summary>
    private sealed class AgeOrder(int contexts, ConcurrentDictionary<string, bool> orders)
    {
        private readonly List<string> names = [];

        public void Took(string context)
        {
            names.Add(context);
            if (names.Count == contexts)
                orders[string.Join("<", names)] = true;
        }
    }

    private sealed class AgeRecordingContext(
        WorldContext world, ContextId id, string name, int pid, IReadOnlyList<StepSpec> steps, AgeOrder run)
        : ScriptContextActor(world, id, name, pid, steps)
    {
        private bool tookStamp;

        protected override KernelTask<int?> ExecuteStep(StepSpec step, int index)
        {
            // The first ww lock step starts the context's only acquire context in these scripts: it takes the stamp.
            if (!tookStamp && step is LockStep l && World.Directory.Locks[l.Lock].Info.Kind == LockKind.WwMutex)
            {
                tookStamp = true;
                run.Took(Name);
            }
            return base.ExecuteStep(step, index);
        }
    }
}
