using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>What every actor of one run shares: the scenario and design, the instrumentation, the directory of
/// actors and locks, and the log of world events. One per run; used only from the run's thread.</summary>
public sealed class WorldContext(ScenarioSpec scenario, Design design, RunMonitor monitor, WorldEventLog events)
{
    public ScenarioSpec Scenario { get; } = scenario;

    public Design Design { get; } = design;

    public RunMonitor Monitor { get; } = monitor;

    public WorldDirectory Directory { get; } = new();

    public WorldEventLog Events { get; } = events;
}

/// <summary>
/// The world events of one run, per persistence id, in the order they happened. Recording is optional (an
/// exploration keeps none; a journaled run or a replay keeps all): a restarted world actor recovers from its own
/// events here, so a run that may restart actors must record.
/// </summary>
public sealed class WorldEventLog(bool record)
{
    private readonly Dictionary<string, List<WorldEvent>> byActor = new(StringComparer.Ordinal);
    private readonly List<(string PersistenceId, long SequenceNr, WorldEvent Event)> all = [];

    public bool IsRecording { get; } = record;

    /// <summary>Every event in the order it happened, with its persistence id and sequence number.</summary>
    public IReadOnlyList<(string PersistenceId, long SequenceNr, WorldEvent Event)> All => all;

    public void Append(string persistenceId, long sequenceNr, WorldEvent e)
    {
        if (!IsRecording)
            return;
        if (!byActor.TryGetValue(persistenceId, out var list))
            byActor[persistenceId] = list = [];
        list.Add(e);
        all.Add((persistenceId, sequenceNr, e));
    }

    public IReadOnlyList<WorldEvent> EventsOf(string persistenceId) =>
        byActor.TryGetValue(persistenceId, out var list) ? list : [];
}
