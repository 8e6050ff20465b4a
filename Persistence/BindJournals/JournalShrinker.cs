using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Shrinking;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>What <see cref="JournalShrinker.Shrink"/> did: the journals, the finding kept, and the sizes before and after.</summary>
public sealed record ShrunkJournal(
    BindRunRecorded Original,
    BindRunRecorded Shrunk,
    RecordedFinding Finding,
    int OriginalSteps,
    int OriginalScheduleLength,
    ShrinkResult Shrink)
{
    public int ShrunkSteps => ShrinkState.StepsOf(Shrink.Scenario);

    public int ShrunkScheduleLength => Shrink.Schedule.Count;

    /// <summary>The shrunk scenario as stored (HOCON).</summary>
    public string ScenarioText => Shrunk.Setup.ScenarioText;
}

/// <summary>
/// <c>gpuvmsim shrink</c>: reads a bind journal, shrinks its run around one of its findings (<see cref="Shrinker"/>),
/// replays the result exactly and stores it as a new journal whose header names the original (<c>ShrunkFrom</c>, tag
/// <c>shrunk-from:ID</c>). The original journal is only read.
/// </summary>
public static class JournalShrinker
{
    /// <param name="findingKind">Shrink around the first finding of this kind; null for the finding the journal was
    /// stored for by its exploration, or the run's first finding.</param>
    /// <exception cref="InputException">No such journal, no finding (of that kind), or the run no longer replays.</exception>
    public static ShrunkJournal Shrink(BindJournalStore store, string journalId, string? findingKind, DateTimeOffset recordedAt, int maxReplays = ShrinkRequest.DefaultMaxReplays)
    {
        var header = store.LoadHeader(journalId);
        var finding = PickFinding(store, header, findingKind);
        ScenarioSpec scenario;
        Domain.Designs.Design design;
        try
        {
            scenario = RunRecords.ScenarioOf(header.Setup);
            design = RunRecords.DesignOf(header.Setup);
        }
        catch (InputException e)
        {
            throw new InputException($"{store.Target}: journal {journalId} no longer fits this version: {e.Message}", e);
        }
        var witnesses = RunRecords.WitnessesOf(header);
        var schedule = RunRecords.ScheduleOf(header);
        var target = new ShrinkTarget(finding.Kind, finding.Key);
        ShrinkResult shrunk;
        try
        {
            shrunk = Shrinker.Shrink(new ShrinkRequest(scenario, design, header.ScheduleIndex, schedule, witnesses, target)
            {
                MaxSteps = header.Setup.MaxSteps,
                MaxReplays = maxReplays,
            });
        }
        catch (ScheduleDivergedException e)
        {
            throw new InputException($"{store.Target}: journal {journalId} no longer replays ({e.Message}); replay it to see where");
        }

        // The stored scenario is the rendered text, and the run is replayed from it as `replay` will. The original's
        // expectations describe the original, so they are left out.
        var text = ScenarioRenderer.Render(shrunk.Scenario with { Description = Describe(header, scenario), Expectations = [] });
        var file = $"{scenario.Name}.shrunk.conf";
        var stored = ScenarioParser.ParseString(text, file);
        var replay = Reproducer.Replay(new ReproductionRequest(stored, design, header.ScheduleIndex, shrunk.Schedule, shrunk.Witnesses)
        {
            MaxSteps = header.Setup.MaxSteps,
        });
        if (replay.Diverged is { } diverged)
            throw new InvalidOperationException($"the shrunk run of {journalId} does not replay from its rendered scenario: {diverged.Message}", diverged);
        if (!target.IsShownBy(replay.Findings))
            throw new InvalidOperationException($"the shrunk run of {journalId} lost {finding.Key} when replayed from its rendered scenario");

        var setup = header.Setup with
        {
            ScenarioFile = file,
            ScenarioText = text,
            ScenarioSha256 = RunRecords.Sha256(text),
            Strategy = "shrink",
        };
        var record = RunRecords.Record(setup, header.ScheduleIndex, shrunk.Schedule.ToString(),
            [.. shrunk.Witnesses.Select(w => (w.Index, w.Schedule.ToString()))], replay, recordedAt, shrunkFrom: journalId);
        store.Save(record);
        return new ShrunkJournal(header, record.Header, finding, ShrinkState.StepsOf(scenario), schedule.Count, shrunk);
    }

    /// <summary>The first finding of <paramref name="kind"/>; without a kind, the finding an exploration stored this
    /// journal for (a run shows side findings too), else the run's first.</summary>
    private static RecordedFinding PickFinding(BindJournalStore store, BindRunRecorded header, string? kind)
    {
        if (header.Findings.Count == 0)
            throw new InputException($"journal {header.JournalId} recorded no finding; there is nothing to shrink");
        if (kind is null)
        {
            var key = header.ExplorationId is { } explorationId
                ? store.LoadExploration(explorationId).Findings.FirstOrDefault(f => f.JournalId == header.JournalId)?.Key
                : null;
            return header.Findings.FirstOrDefault(f => f.Key == key) ?? header.Findings[0];
        }
        return header.Findings.FirstOrDefault(f => f.Kind == kind)
            ?? throw new InputException($"--finding: journal {header.JournalId} recorded no {kind} finding; it recorded [{string.Join(", ", header.Verdict)}]");
    }

    private static string Describe(BindRunRecorded header, ScenarioSpec scenario) =>
        $"shrunk from journal {header.JournalId}" + (scenario.Description is { } d ? $": {d}" : "");
}
