using System.Text;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Host.Cli;

/// <summary>Prints an exploration the two ways the CLI contract knows: one JSON object, or a report for people.</summary>
internal static class ExplorationOutput
{
    /// <summary>The object of cli-contract.md: scenario, design, strategy, seed, schedules, exhausted, findings.</summary>
    public static string Json(ExplorationResult result, JournalLinks? journal = null) => Json(
        result.Scenario, result.Design, result.Strategy, result.Seed, result.Schedules, result.Exhausted, journal?.ExplorationId, journal?.RunJournalId,
        result.Findings.Select((f, i) => new FindingLine(f.Kind, f.Finding.Summary, f.Schedule, f.TraceSha256, journal?.JournalIdOf(i))));

    /// <summary>The same object for an exploration read back from the bind journal (a shared job's, once merged).</summary>
    public static string Json(ExplorationRecorded exploration) => Json(
        exploration.Setup.Scenario, exploration.Setup.Design, exploration.Setup.Strategy, exploration.Setup.Seed, exploration.Schedules,
        exploration.Exhausted, exploration.ExplorationId, null,
        exploration.Findings.Select(f => new FindingLine(f.Kind, f.Summary, f.Schedule, f.TraceSha256, f.JournalId)));

    private static string Json(
        string scenario, string design, string strategy, ulong seed, long schedules, bool exhausted, string? explorationId, string? runJournalId,
        IEnumerable<FindingLine> findings) => CliJson.Object(w =>
    {
        w.WriteString("scenario", scenario);
        w.WriteString("design", design);
        w.WriteString("strategy", strategy);
        w.WriteNumber("seed", seed);
        w.WriteNumber("schedules", schedules);
        w.WriteBoolean("exhausted", exhausted);
        if (explorationId is not null)
            w.WriteString("exploration_id", explorationId);
        if (runJournalId is not null)
            w.WriteString("journal_id", runJournalId);
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("summary", f.Summary);
            w.WriteString("schedule", f.Schedule);
            w.WriteString("trace_sha256", f.TraceSha256);
            if (f.JournalId is not null)
                w.WriteString("journal_id", f.JournalId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private sealed record FindingLine(string Kind, string Summary, string Schedule, string TraceSha256, string? JournalId);

    public static string Human(ExplorationResult result, JournalLinks? journal = null)
    {
        var w = new StringBuilder();
        w.AppendLine($"scenario {result.Scenario}, design {result.Design}, strategy {result.Strategy}, seed {result.Seed}");
        w.AppendLine($"explored {result.Schedules} schedule(s), {result.Deliveries} deliveries{(result.Exhausted ? "; the search space is exhausted" : "")}");
        w.AppendLine(result.Findings.Count == 0
            ? result.Exhausted ? "no findings: none is possible in this scenario under this design" : "no findings"
            : $"{result.Findings.Count} finding(s): {string.Join(", ", result.Findings.Select(f => f.Kind))}");
        var n = 0;
        foreach (var f in result.Findings)
        {
            n++;
            w.AppendLine();
            w.AppendLine($"=== finding {n}/{result.Findings.Count}: {f.Kind}: {f.Finding.Summary}");
            w.AppendLine();
            w.Append(f.Finding.Report);
            w.AppendLine();
            w.AppendLine($"interleaving (schedule {f.ScheduleIndex}):");
            w.Append(InterleavingTable.Render(f.Interleaving));
            w.AppendLine($"schedule: {f.Schedule}");
            w.AppendLine($"trace sha256: {f.TraceSha256}");
            if (journal?.JournalIdOf(n - 1) is { } id)
                w.AppendLine($"journal: {id} (gpuvmsim replay {id} --journal {journal.Database})");
        }
        if (journal?.ExplorationId is { } explorationId)
            w.AppendLine().AppendLine($"journaled as exploration {explorationId} in {journal.Database}");
        if (journal?.RunJournalId is { } runId)
            w.AppendLine().AppendLine($"journaled as {runId} in {journal.Database}");
        return w.ToString();
    }
}

/// <summary>Where a journaled exploration or run was stored, for the output to name.</summary>
internal sealed record JournalLinks(string Database, string? ExplorationId, string? RunJournalId, IReadOnlyList<string> FindingJournalIds)
{
    public string? JournalIdOf(int findingIndex) =>
        findingIndex < FindingJournalIds.Count ? FindingJournalIds[findingIndex] : RunJournalId;
}
