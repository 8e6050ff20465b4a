using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>What journaling an exploration stored: its id and, per finding (in result order), the bind journal that reproduces it.</summary>
public sealed record JournaledExploration(string ExplorationId, IReadOnlyList<string> FindingJournalIds);

/// <summary>Journals <c>explore</c> and <c>run</c>: a bind journal per finding (or for the one run) and an exploration record.</summary>
public static class ExplorationJournal
{
    /// <summary>Stores the run of every finding, then the exploration record that links them.</summary>
    /// <param name="explorationId">The exploration's id (a shared job picks it in advance); a new one when null.</param>
    public static JournaledExploration Save(
        BindJournalStore store, ScenarioSpec scenario, Design design, ExploreOptions options, ExplorationResult result, DateTimeOffset recordedAt,
        string? explorationId = null)
    {
        var setup = RunRecords.SetupOf(scenario, design, options);
        explorationId ??= BindJournalIds.NewExploration();
        var ids = new List<string>();
        foreach (var finding in result.Findings)
        {
            var run = RunRecords.Record(setup, finding.ScheduleIndex, finding.Schedule, finding.Witnesses, finding.Replay, recordedAt, explorationId);
            ids.Add(store.Save(run));
        }
        store.SaveExploration(new ExplorationRecorded(
            explorationId, GpuvmsimVersion.Current, recordedAt, setup, options.Budget, result.Schedules, result.Exhausted, result.Deliveries,
            [.. result.Findings.Zip(ids, (f, id) => new ExplorationFindingRecorded(f.Kind, f.Finding.Key, f.Finding.Summary, f.ScheduleIndex, f.Schedule, f.TraceSha256, id))],
            result.Graph.ToDot()));
        return new JournaledExploration(explorationId, ids);
    }

    /// <summary>Stores a single run (<c>gpuvmsim run</c>), whatever it found; returns its journal id.</summary>
    public static string SaveRun(BindJournalStore store, ScenarioSpec scenario, Design design, ExploreOptions options, Reproduction run, DateTimeOffset recordedAt)
    {
        var schedule = run.Run?.Schedule.ToString() ?? throw new ArgumentException("a diverged run cannot be journaled", nameof(run));
        return store.Save(RunRecords.Record(RunRecords.SetupOf(scenario, design, options), 0, schedule, [], run, recordedAt));
    }
}
