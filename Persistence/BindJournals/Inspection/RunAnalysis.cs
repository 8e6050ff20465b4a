using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>A lock of a run: its scenario name (<c>V.op_lock</c>) and lockdep class (<c>&amp;vm-&gt;op_lock</c>).</summary>
public sealed record LockLabel(string Name, string Class);

/// <summary>One edge of the lock-class dependency graph: <paramref name="To"/> was acquired while <paramref name="From"/> was held.</summary>
/// <param name="ScheduleIndex">The schedule that added it: the run's own, or a witness's.</param>
/// <param name="Step">The 0-based trace step of the acquisition that added it.</param>
/// <param name="Function">Where <paramref name="To"/> was acquired.</param>
/// <param name="Comm">The task that acquired it (<c>T1/1002</c>).</param>
/// <param name="InCycle">The edge closes or lies on a lock-order inversion.</param>
public sealed record LockDependency(string From, string To, long ScheduleIndex, long Step, string Function, string Comm, bool InCycle);

/// <summary>
/// What a deterministic replay of a stored run adds to its journal, for inspection only (nothing is written): the
/// names of its locks, the trace step of each world event, and the lock-class dependency graph over the run and its
/// lockdep witnesses. A journal this version cannot replay exactly gets <see cref="Problem"/> and whatever could be
/// recovered (lock names come from the scenario alone).
/// </summary>
public sealed record RunAnalysis(
    IReadOnlyDictionary<string, LockLabel> Locks,
    IReadOnlyDictionary<(string Actor, long SequenceNr), long>? WorldEventSteps,
    LockDependencyGraph? Graph,
    string? Problem)
{
    /// <summary>The edges of <see cref="Graph"/> with the trace step that added each and whether it is on an inversion.</summary>
    public IReadOnlyList<LockDependency>? Dependencies => Graph is null ? null : DependenciesOf(Graph);

    public static RunAnalysis None(string problem) => new(new Dictionary<string, LockLabel>(), null, null, problem);

    /// <summary>Replays <paramref name="stored"/> (and its witnesses) to recover what the journal does not spell out.</summary>
    public static RunAnalysis Of(StoredRun stored)
    {
        var header = stored.Header;
        Scenarios.ScenarioSpec scenario;
        Domain.Designs.Design design;
        try
        {
            scenario = RunRecords.ScenarioOf(header.Setup);
            design = RunRecords.DesignOf(header.Setup);
        }
        catch (InputException e)
        {
            return None($"the journal no longer fits this version: {e.Message}");
        }
        var world = new LockCapture(Worlds.For(scenario));
        var graph = new LockDependencyGraph();
        RunResult run;
        try
        {
            foreach (var witness in header.Witnesses)
            {
                graph.Merge(SimulationRun.Execute(SimulationRun.ReplayOf(scenario, design, world, Schedule.Parse(witness.Schedule)) with
                {
                    ScheduleIndex = witness.ScheduleIndex,
                    MaxSteps = header.Setup.MaxSteps,
                }).NewEdges);
            }
            run = SimulationRun.Execute(SimulationRun.ReplayOf(scenario, design, world, Schedule.Parse(header.Schedule)) with
            {
                ScheduleIndex = header.ScheduleIndex,
                MaxSteps = header.Setup.MaxSteps,
                RecordWorldEvents = true,
                RecordedWorldEvents = stored.WorldEvents,
                Trace = true,
            });
        }
        catch (Exception e) when (e is ScheduleDivergedException or InputException)
        {
            return new RunAnalysis(world.Locks, null, null, $"the journal no longer replays with this version: {e.Message}");
        }
        if (TraceComparer.FirstDivergence(stored.Trace, run.TraceText ?? "") is { } divergence)
            return new RunAnalysis(world.Locks, null, null, $"the replay no longer matches the journal from step {divergence.Step}");
        if (run.WorldEvents.Divergence is { } events)
            return new RunAnalysis(world.Locks, null, null, $"the replay's world events no longer match the journal from step {events.Step}");
        graph.Merge(run.NewEdges);
        var steps = run.WorldEvents.All.ToDictionary(e => (e.PersistenceId, e.SequenceNr), e => e.Step);
        return new RunAnalysis(world.Locks, steps, graph, null);
    }

    /// <summary>The 0-based trace step of the acquisition that added <paramref name="edge"/> (lockdep reports count deliveries from 1).</summary>
    public static long StepOf(EdgeWitness edge) => Math.Max(0, edge.Delivery - 1);

    private static List<LockDependency> DependenciesOf(LockDependencyGraph graph)
    {
        var cycles = graph.FindInversions().SelectMany(f => f.CycleEdges).ToHashSet();
        return [.. graph.Edges.Select(e => new LockDependency(e.From.Name, e.To.Name, e.ScheduleIndex, StepOf(e), e.ToSite.Function, e.Comm,
            cycles.Contains((e.From.Name, e.To.Name))))];
    }

    /// <summary>Builds the scenario's world as usual and keeps the names of its locks by id (<c>L4</c>).</summary>
    private sealed class LockCapture(IWorldBuilder inner) : IWorldBuilder
    {
        public Dictionary<string, LockLabel> Locks { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<IActorRef> Build(WorldContext world, Func<Props, string, IActorRef> actorOf)
        {
            var contexts = inner.Build(world, actorOf);
            foreach (var handle in world.Directory.Locks.All)
                Locks.TryAdd(handle.Info.Id.ToString(), new LockLabel(handle.Info.Name, handle.Info.Class.Name));
            return contexts;
        }
    }
}
