using System.Text;
using System.Text.Json;
using Gpuvmsim.Exploration;

namespace Gpuvmsim.Host.Cli;

/// <summary>Prints an exploration the two ways the CLI contract knows: one JSON object, or a report for people.</summary>
internal static class ExplorationOutput
{
    /// <summary>The object of cli-contract.md: scenario, design, strategy, seed, schedules, exhausted, findings.</summary>
    public static string Json(ExplorationResult result, IReadOnlyDictionary<long, string>? journalIds = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("scenario", result.Scenario);
            w.WriteString("design", result.Design);
            w.WriteString("strategy", result.Strategy);
            w.WriteNumber("seed", result.Seed);
            w.WriteNumber("schedules", result.Schedules);
            w.WriteBoolean("exhausted", result.Exhausted);
            w.WriteStartArray("findings");
            foreach (var f in result.Findings)
            {
                w.WriteStartObject();
                w.WriteString("kind", f.Kind);
                w.WriteString("summary", f.Finding.Summary);
                w.WriteString("schedule", f.Schedule);
                w.WriteString("trace_sha256", f.TraceSha256);
                if (journalIds is not null && journalIds.TryGetValue(f.ScheduleIndex, out var id))
                    w.WriteString("journal_id", id);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Human(ExplorationResult result)
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
        }
        return w.ToString();
    }
}
