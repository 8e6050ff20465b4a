using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Exploration;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>A lock of a run: its scenario name (<c>V.op_lock</c>) and lockdep class (<c>&amp;vm-&gt;op_lock</c>).</summary>
public sealed record LockLabel(string Name, string Class);

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
        Reproduction replay;
        try
        {
            replay = Reproducer.Replay(new ReproductionRequest(scenario, design, header.ScheduleIndex, RunRecords.ScheduleOf(header), RunRecords.WitnessesOf(header))
            {
                MaxSteps = header.Setup.MaxSteps,
                World = world,
                RecordedWorldEvents = stored.WorldEvents,
                Graph = graph,
            });
        }
        catch (Exception e) when (e is ScheduleDivergedException or InputException) // a witness diverged, or a schedule does not parse
        {
            return NoLongerReplays(world, e);
        }
        if (replay.Diverged is { } diverged)
            return NoLongerReplays(world, diverged);
        if (TraceComparer.FirstDivergence(stored.Trace, replay.TraceText) is { } divergence)
            return new RunAnalysis(world.Locks, null, null, $"the replay no longer matches the journal from step {divergence.Step}");
        if (replay.WorldEventDivergence is { } events)
            return new RunAnalysis(world.Locks, null, null, $"the replay's world events no longer match the journal from step {events.Step}");
        var steps = replay.Run!.WorldEvents.All.ToDictionary(e => (e.PersistenceId, e.SequenceNr), e => e.Step);
        return new RunAnalysis(world.Locks, steps, graph, null);
    }

    private static RunAnalysis NoLongerReplays(LockCapture world, Exception e) =>
        new(world.Locks, null, null, $"the journal no longer replays with this version: {e.Message}");

    /// <summary>The 0-based trace step of the acquisition that added <paramref name="edge"/> (lockdep reports count deliveries from 1).</summary>
    public static long StepOf(EdgeWitness edge) => Math.Max(0, edge.Delivery - 1);

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
