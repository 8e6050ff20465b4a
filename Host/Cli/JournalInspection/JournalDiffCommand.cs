using System.CommandLine;
using System.Text;
using System.Text.Json;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.BindJournals.Inspection;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>
/// <c>gpuvmsim journal diff A B --journal DB [--json]</c>: where two stored runs part — their setups, the first
/// differing schedule choice and trace step with both sides — and which findings only one of them has.
/// </summary>
internal static class JournalDiffCommand
{
    public static Command Create()
    {
        var a = JournalInputs.Id("A");
        var b = JournalInputs.Id("B");
        var database = JournalInputs.Database();
        var json = JournalInputs.Json();
        var command = new Command("diff", "Compare two stored runs: setup, where their schedules and traces part, findings.") { a, b, database, json };
        command.SetGuardedAction(parse =>
        {
            using var store = JournalInputs.Open(parse, database);
            var runA = JournalInputs.LoadRun(store, parse.GetValue(a)!, "diff");
            var runB = JournalInputs.LoadRun(store, parse.GetValue(b)!, "diff");
            var difference = JournalDiff.Compare(runA, runB);
            Console.Write(parse.GetValue(json) ? Json(difference) + "\n" : Human(runA.Header, runB.Header, difference));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Human(BindRunRecorded a, BindRunRecorded b, RunDifference d)
    {
        var w = new StringBuilder();
        foreach (var (side, r) in new[] { ("a", a), ("b", b) })
            w.AppendLine($"{side}: {r.JournalId}  {r.Setup.Scenario} under {r.Setup.Design}, {r.Setup.Strategy}/{r.Setup.Seed}, {r.Steps} steps  [{string.Join(", ", r.Verdict)}]");
        if (d.Identical)
            return w.AppendLine("the runs are identical").ToString();
        foreach (var s in d.Setup)
            w.AppendLine($"setup: {s.Field}: a {s.A}, b {s.B}");
        if (d.Schedule is { } schedule)
            w.AppendLine($"schedules part at choice {schedule.Choice} (step {schedule.Step}): a {schedule.A ?? "(ended)"}, b {schedule.B ?? "(ended)"}");
        else
            w.AppendLine("schedules: identical");
        if (d.Trace is { } trace)
            w.AppendLine($"traces part at step {trace.Step}:").AppendLine($"  a: {trace.LineA ?? "(ended)"}").AppendLine($"  b: {trace.LineB ?? "(ended)"}");
        else
            w.AppendLine("traces: identical");
        Findings(w, "findings only in a", d.FindingsOnlyInA);
        Findings(w, "findings only in b", d.FindingsOnlyInB);
        Findings(w, "findings in both", d.FindingsInBoth);
        return w.ToString();
    }

    private static void Findings(StringBuilder w, string title, IReadOnlyList<RecordedFinding> findings)
    {
        w.AppendLine(findings.Count == 0 ? $"{title}: none" : $"{title}:");
        foreach (var f in findings)
            w.AppendLine($"  {f.Kind}: {f.Summary}");
    }

    public static string Json(RunDifference d) => CliJson.Object(w =>
    {
        w.WriteString("a", d.A);
        w.WriteString("b", d.B);
        w.WriteBoolean("identical", d.Identical);
        w.WriteStartArray("setup");
        foreach (var s in d.Setup)
        {
            w.WriteStartObject();
            w.WriteString("field", s.Field);
            w.WriteString("a", s.A);
            w.WriteString("b", s.B);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (d.Schedule is { } schedule)
        {
            w.WriteStartObject("schedule");
            w.WriteNumber("choice", schedule.Choice);
            w.WriteNumber("step", schedule.Step);
            WriteSides(w, schedule.A, schedule.B);
            w.WriteEndObject();
        }
        else
            w.WriteNull("schedule");
        if (d.Trace is { } trace)
        {
            w.WriteStartObject("trace");
            w.WriteNumber("step", trace.Step);
            WriteSides(w, trace.LineA, trace.LineB);
            w.WriteEndObject();
        }
        else
            w.WriteNull("trace");
        WriteFindings(w, "findings_only_in_a", d.FindingsOnlyInA);
        WriteFindings(w, "findings_only_in_b", d.FindingsOnlyInB);
        WriteFindings(w, "findings_in_both", d.FindingsInBoth);
    });

    private static void WriteSides(Utf8JsonWriter w, string? a, string? b)
    {
        if (a is null) w.WriteNull("a"); else w.WriteString("a", a);
        if (b is null) w.WriteNull("b"); else w.WriteString("b", b);
    }

    private static void WriteFindings(Utf8JsonWriter w, string name, IReadOnlyList<RecordedFinding> findings)
    {
        w.WriteStartArray(name);
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("key", f.Key);
            w.WriteString("summary", f.Summary);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
