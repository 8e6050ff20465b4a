using System.Text;
using Gpuvmsim.Exploration;

namespace Gpuvmsim.Host.Cli;

/// <summary>Prints an exploration the two ways the CLI contract knows: one JSON object, or a report for people.</summary>
internal static class ExplorationOutput
{
    /// <summary>The object of cli-contract.md: scenario, design, strategy, seed, schedules, exhausted, findings.</summary>
    public static string Json(ExplorationResult result, JournalLinks? journal = null) => CliJson.Object(w =>
    {
        w.WriteString("scenario", result.Scenario);
        w.WriteString("design", result.Design);
        w.WriteString("strategy", result.Strategy);
        w.WriteNumber("seed", result.Seed);
        w.WriteNumber("schedules", result.Schedules);
        w.WriteBoolean("exhausted", result.Exhausted);
        if (journal?.ExplorationId is { } explorationId)
            w.WriteString("exploration_id", explorationId);
        if (journal?.RunJournalId is { } runId)
            w.WriteString("journal_id", runId);
        w.WriteStartArray("findings");
        for (var i = 0; i < result.Findings.Count; i++)
        {
            var f = result.Findings[i];
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("summary", f.Finding.Summary);
            w.WriteString("schedule", f.Schedule);
            w.WriteString("trace_sha256", f.TraceSha256);
            if (journal?.JournalIdOf(i) is { } id)
                w.WriteString("journal_id", id);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

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
