namespace Gpuvmsim.Messages.Journal;

// The events of a bind journal's own streams (the world actors' streams hold WorldEvents):
//   bind/{id}         BindRunRecorded, then BindTraceRecorded: one run, everything needed to rebuild and replay it;
//   exploration/{id}  ExplorationRecorded: one `explore`, linking the bind journals of its findings.
// Published shapes: add optional fields or new events, never change one.

/// <summary>What a scenario run was made of: the scenario as it was, the design with every knob, how schedules were chosen.</summary>
/// <param name="ScenarioFile">The path it was read from (informational: replay uses <paramref name="ScenarioText"/>).</param>
/// <param name="Knobs">Every knob of <paramref name="Design"/> with its value, so a replay does not depend on today's catalog.</param>
public sealed record RunSetup(
    string Scenario,
    string ScenarioFile,
    string ScenarioText,
    string ScenarioSha256,
    string Design,
    IReadOnlyDictionary<string, string> Knobs,
    string Strategy,
    ulong Seed,
    int PctDepth,
    long MaxSteps);

/// <summary>One finding as a run reported it.</summary>
public sealed record RecordedFinding(string Kind, string Key, string Summary, string Report, long Step);

/// <summary>Another schedule of the same exploration whose lock dependencies a finding needs (a lock-order inversion
/// closes a cycle whose other edges earlier schedules witnessed, as lockdep's graph spans the kernel's life).</summary>
public sealed record RecordedWitness(long ScheduleIndex, string Schedule);

/// <summary>The header of a bind journal: one run (one schedule) of a scenario and what it found.</summary>
/// <param name="JournalId">Content address: the same run (scenario text, design, schedule, trace) always gets the same id.</param>
/// <param name="ScheduleIndex">The run's index within its exploration (orders lockdep witnesses).</param>
/// <param name="Schedule">The compact replayable encoding of every choice (<c>s1.…</c>).</param>
/// <param name="End">How the run stopped: Quiescent, Pruned or StepLimit.</param>
/// <param name="TraceSha256">SHA-256 of the canonical text trace (stored in full by <see cref="BindTraceRecorded"/>).</param>
/// <param name="Findings">Everything the replayed run reports, witnesses included.</param>
/// <param name="ExplorationId">The exploration that found it, if any.</param>
/// <param name="ShrunkFrom">The journal this one was shrunk from, if any.</param>
/// <param name="WorldStreams">Each world actor (e.g. <c>vm/V</c>, stream <c>bind/{id}/vm/V</c>) and how many events it stored.</param>
public sealed record BindRunRecorded(
    string JournalId,
    string GpuvmsimVersion,
    DateTimeOffset RecordedAt,
    RunSetup Setup,
    long ScheduleIndex,
    string Schedule,
    IReadOnlyList<RecordedWitness> Witnesses,
    long Steps,
    string End,
    string TraceSha256,
    IReadOnlyList<RecordedFinding> Findings,
    string? ExplorationId,
    string? ShrunkFrom,
    IReadOnlyDictionary<string, long> WorldStreams)
{
    /// <summary>The distinct finding kinds, in first-seen order (the <c>verdict</c> of <c>replay --json</c>).</summary>
    public IReadOnlyList<string> Verdict => Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The canonical text trace of a bind journal's run, one line per delivery.</summary>
public sealed record BindTraceRecorded(string Text);

/// <summary>A finding of an exploration and the bind journal that reproduces it.</summary>
public sealed record ExplorationFindingRecorded(string Kind, string Key, string Summary, long ScheduleIndex, string Schedule, string TraceSha256, string JournalId);

/// <summary>One <c>explore</c>: its setup, how far it got, its findings, and its lock-class dependency graph (DOT).</summary>
public sealed record ExplorationRecorded(
    string ExplorationId,
    string GpuvmsimVersion,
    DateTimeOffset RecordedAt,
    RunSetup Setup,
    long Budget,
    long Schedules,
    bool Exhausted,
    long Deliveries,
    IReadOnlyList<ExplorationFindingRecorded> Findings,
    string LockGraphDot);
