using Gpuvmsim.Checking;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>How to replay a bind journal.</summary>
/// <param name="Scenario">Replay against this scenario instead of the recorded text (to check an edited scenario still shows the race).</param>
/// <param name="FailAtStep">Inject a failure into the first world actor receiving a message at or after this step.</param>
public sealed record ReplayOptions(ScenarioSpec? Scenario = null, long? FailAtStep = null);

/// <summary>Where a replay first stopped matching its journal.</summary>
/// <param name="Step">The 0-based delivery step (trace line) at which it diverged.</param>
public sealed record ReplayDivergence(long Step, string Reason);

/// <summary>What replaying a bind journal showed.</summary>
/// <param name="Identical">The replayed trace hashes to the recorded one.</param>
/// <param name="Divergence">The first step at which the replay stopped matching (null when it matched throughout).</param>
/// <param name="Replay">The reproduction itself (trace, interleaving, world events), null when the journal could not be replayed at all.</param>
public sealed record ReplayReport(
    BindRunRecorded Recorded,
    IReadOnlyList<Finding> Findings,
    string TraceSha256,
    bool Identical,
    ReplayDivergence? Divergence,
    Reproduction? Replay)
{
    public string JournalId => Recorded.JournalId;

    public IReadOnlyList<string> Verdict => Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The same finding keys as recorded, in the same order.</summary>
    public bool SameFindings => Findings.Select(f => f.Key).SequenceEqual(Recorded.Findings.Select(f => f.Key), StringComparer.Ordinal);
}

/// <summary>
/// The replay supervisor's entry point: rebuilds the actors of a bind journal's run from its recorded scenario and
/// design, replays the recorded schedule (and its lockdep witnesses), and checks the result against the journal —
/// trace hash, world events and findings — reporting the first step at which they part.
/// </summary>
public static class BindReplay
{
    /// <summary>Loads and replays journal <paramref name="journalId"/> of <paramref name="store"/>.</summary>
    /// <exception cref="InputException">No such journal, or it is incomplete or damaged.</exception>
    public static ReplayReport Replay(BindJournalStore store, string journalId, ReplayOptions? options = null)
    {
        StoredRun stored;
        try
        {
            stored = store.Load(journalId);
        }
        catch (UnknownEventManifestException e)
        {
            // A journal written by another version: replay without its world events, then name the step at which
            // the replay produced the event this version cannot read.
            var header = store.LoadHeader(journalId);
            var partial = store.LoadReadable(journalId);
            var report = Replay(partial, options);
            var at = report.Replay?.Run?.WorldEvents.Divergence?.Step ?? report.Divergence?.Step ?? 0;
            return report with { Recorded = header, Identical = false, Divergence = new ReplayDivergence(at, e.Message) };
        }
        return Replay(stored, options);
    }

    public static ReplayReport Replay(StoredRun stored, ReplayOptions? options = null)
    {
        options ??= new ReplayOptions();
        var header = stored.Header;
        ScenarioSpec scenario;
        Domain.Designs.Design design;
        try
        {
            scenario = options.Scenario ?? RunRecords.ScenarioOf(header.Setup);
            design = RunRecords.DesignOf(header.Setup);
        }
        catch (InputException e)
        {
            return new ReplayReport(header, [], "", false, new ReplayDivergence(0, $"the journal no longer fits this version: {e.Message}"), null);
        }
        var replay = Reproducer.Replay(new ReproductionRequest(
            scenario, design, header.ScheduleIndex, RunRecords.ScheduleOf(header), RunRecords.WitnessesOf(header))
        {
            MaxSteps = header.Setup.MaxSteps,
            RecordedWorldEvents = stored.WorldEvents,
            FailAtStep = options.FailAtStep,
        });
        if (replay.Diverged is { } diverged)
            return new ReplayReport(header, [], "", false, new ReplayDivergence(diverged.Step, diverged.Message), replay);
        var divergence = FirstDivergence(stored, replay);
        return new ReplayReport(header, replay.Findings, replay.TraceSha256, replay.TraceSha256 == header.TraceSha256, divergence, replay);
    }

    /// <summary>The earliest of: the first differing trace line, the first differing world event.</summary>
    private static ReplayDivergence? FirstDivergence(StoredRun stored, Reproduction replay)
    {
        var candidates = new List<ReplayDivergence>();
        if (TraceComparer.FirstDivergence(stored.Trace, replay.TraceText) is { } trace)
            candidates.Add(new ReplayDivergence(trace.Step, $"the trace differs: recorded `{trace.LineA ?? "(ended)"}`, replayed `{trace.LineB ?? "(ended)"}`"));
        if (replay.WorldEventDivergence is { } events)
            candidates.Add(new ReplayDivergence(events.Step, $"the world events differ at {events}"));
        return candidates.OrderBy(c => c.Step).FirstOrDefault();
    }
}
