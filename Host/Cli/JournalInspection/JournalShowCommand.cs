using System.CommandLine;
using System.Text;
using System.Text.Json;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>
/// <c>gpuvmsim journal show ID --journal DB [--json]</c>: a run's metadata, knobs, schedule and findings with their
/// lockdep-style reports; or an exploration's setup, progress and findings with the runs that reproduce them.
/// </summary>
internal static class JournalShowCommand
{
    public static Command Create()
    {
        var id = JournalInputs.Id();
        var database = JournalInputs.Database();
        var json = JournalInputs.Json();
        var command = new Command("show", "Show a stored run or exploration: metadata, knobs, schedule, findings and their reports.") { id, database, json };
        command.SetGuardedAction(parse =>
        {
            var wanted = parse.GetValue(id)!;
            using var store = JournalInputs.Open(parse, database);
            if (wanted.StartsWith(BindJournalIds.ExplorationPrefix, StringComparison.Ordinal))
            {
                var exploration = store.LoadExploration(wanted);
                Console.Write(parse.GetValue(json) ? ExplorationJson(exploration) + "\n" : ExplorationHuman(exploration));
            }
            else
            {
                var run = store.LoadHeader(wanted);
                Console.Write(parse.GetValue(json) ? RunJson(run) + "\n" : RunHuman(run));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>How many choices a schedule makes, and how many of them are deliveries (null when it does not parse).</summary>
    public static (int Choices, int Deliveries)? LengthOf(string schedule) =>
        Schedule.TryParse(schedule, out var parsed, out _) ? (parsed!.Count, parsed.Choices.Count(c => c.IsDelivery)) : null;

    public static string RunHuman(BindRunRecorded r)
    {
        var s = r.Setup;
        var w = new StringBuilder();
        w.AppendLine($"journal {r.JournalId}");
        w.AppendLine($"  scenario      {s.Scenario} ({s.ScenarioFile}, sha256 {s.ScenarioSha256})");
        w.AppendLine($"  design        {s.Design}");
        w.AppendLine($"  knobs         {string.Join(", ", s.Knobs.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"))}");
        w.AppendLine($"  recorded      {r.RecordedAt:u} by gpuvmsim {r.GpuvmsimVersion}");
        if (r.ExplorationId is { } explorationId)
            w.AppendLine($"  exploration   {explorationId} (schedule #{r.ScheduleIndex})");
        if (r.ShrunkFrom is { } shrunkFrom)
            w.AppendLine($"  shrunk from   {shrunkFrom}");
        w.AppendLine($"  strategy      {s.Strategy}, seed {s.Seed}, pct depth {s.PctDepth}, max steps {s.MaxSteps}");
        w.AppendLine(LengthOf(r.Schedule) is var (choices, deliveries)
            ? $"  schedule      {choices} choice(s), {deliveries} deliveries: {r.Schedule}"
            : $"  schedule      (not readable by this version): {r.Schedule}");
        w.AppendLine($"  steps         {r.Steps} ({r.End})");
        w.AppendLine($"  trace sha256  {r.TraceSha256}");
        w.AppendLine($"  world events  {string.Join(", ", r.WorldStreams.Select(k => $"{k.Key} {k.Value}"))}");
        foreach (var witness in r.Witnesses)
            w.AppendLine($"  witness       schedule #{witness.ScheduleIndex}: {witness.Schedule}");
        var findings = r.Findings.DistinctBy(f => f.Key).ToList();
        w.AppendLine(findings.Count == 0 ? "no findings" : $"{findings.Count} finding(s): {string.Join(", ", findings.Select(f => f.Kind))}");
        foreach (var f in findings)
        {
            w.AppendLine().AppendLine($"=== {f.Kind}: {f.Summary} (delivery {f.Step})").AppendLine();
            w.Append(f.Report);
        }
        return w.ToString();
    }

    public static string RunJson(BindRunRecorded r) => CliJson.Object(w =>
    {
        var s = r.Setup;
        w.WriteString("journal_id", r.JournalId);
        w.WriteString("recorded_at", r.RecordedAt);
        w.WriteString("gpuvmsim_version", r.GpuvmsimVersion);
        WriteSetup(w, s);
        if (r.ExplorationId is { } explorationId)
            w.WriteString("exploration_id", explorationId);
        w.WriteNumber("schedule_index", r.ScheduleIndex);
        if (r.ShrunkFrom is { } shrunkFrom)
            w.WriteString("shrunk_from", shrunkFrom);
        w.WriteString("schedule", r.Schedule);
        if (LengthOf(r.Schedule) is var (choices, deliveries))
        {
            w.WriteNumber("schedule_choices", choices);
            w.WriteNumber("schedule_deliveries", deliveries);
        }
        w.WriteNumber("steps", r.Steps);
        w.WriteString("end", r.End);
        w.WriteString("trace_sha256", r.TraceSha256);
        w.WriteStartObject("world_streams");
        foreach (var (actor, count) in r.WorldStreams)
            w.WriteNumber(actor, count);
        w.WriteEndObject();
        w.WriteStartArray("witnesses");
        foreach (var witness in r.Witnesses)
        {
            w.WriteStartObject();
            w.WriteNumber("schedule_index", witness.ScheduleIndex);
            w.WriteString("schedule", witness.Schedule);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in r.Findings.DistinctBy(f => f.Key))
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("key", f.Key);
            w.WriteString("summary", f.Summary);
            w.WriteNumber("delivery", f.Step);
            w.WriteString("report", f.Report);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static string ExplorationHuman(ExplorationRecorded x)
    {
        var s = x.Setup;
        var w = new StringBuilder();
        w.AppendLine($"exploration {x.ExplorationId}");
        w.AppendLine($"  scenario      {s.Scenario} ({s.ScenarioFile}, sha256 {s.ScenarioSha256})");
        w.AppendLine($"  design        {s.Design}");
        w.AppendLine($"  knobs         {string.Join(", ", s.Knobs.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"))}");
        w.AppendLine($"  recorded      {x.RecordedAt:u} by gpuvmsim {x.GpuvmsimVersion}");
        w.AppendLine($"  strategy      {s.Strategy}, seed {s.Seed}, pct depth {s.PctDepth}, max steps {s.MaxSteps}, budget {x.Budget}");
        w.AppendLine($"  explored      {x.Schedules} schedule(s), {x.Deliveries} deliveries{(x.Exhausted ? "; exhausted" : "")}");
        w.AppendLine(x.Findings.Count == 0 ? "no findings" : $"{x.Findings.Count} finding(s):");
        foreach (var f in x.Findings)
            w.AppendLine($"  {f.Kind}: {f.Summary}").AppendLine($"    schedule #{f.ScheduleIndex}, run {f.JournalId} (gpuvmsim journal show {f.JournalId})");
        return w.ToString();
    }

    public static string ExplorationJson(ExplorationRecorded x) => CliJson.Object(w =>
    {
        var s = x.Setup;
        w.WriteString("exploration_id", x.ExplorationId);
        w.WriteString("recorded_at", x.RecordedAt);
        w.WriteString("gpuvmsim_version", x.GpuvmsimVersion);
        WriteSetup(w, s);
        w.WriteNumber("budget", x.Budget);
        w.WriteNumber("schedules", x.Schedules);
        w.WriteBoolean("exhausted", x.Exhausted);
        w.WriteNumber("deliveries", x.Deliveries);
        w.WriteStartArray("findings");
        foreach (var f in x.Findings)
        {
            w.WriteStartObject();
            w.WriteString("kind", f.Kind);
            w.WriteString("key", f.Key);
            w.WriteString("summary", f.Summary);
            w.WriteNumber("schedule_index", f.ScheduleIndex);
            w.WriteString("schedule", f.Schedule);
            w.WriteString("trace_sha256", f.TraceSha256);
            w.WriteString("journal_id", f.JournalId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>What a run and an exploration share: the scenario, design, knobs and strategy they ran with.</summary>
    private static void WriteSetup(Utf8JsonWriter w, RunSetup s)
    {
        w.WriteString("scenario", s.Scenario);
        w.WriteString("scenario_file", s.ScenarioFile);
        w.WriteString("scenario_sha256", s.ScenarioSha256);
        w.WriteString("design", s.Design);
        WriteKnobs(w, s.Knobs);
        w.WriteString("strategy", s.Strategy);
        w.WriteNumber("seed", s.Seed);
        w.WriteNumber("pct_depth", s.PctDepth);
        w.WriteNumber("max_steps", s.MaxSteps);
    }

    private static void WriteKnobs(Utf8JsonWriter w, IReadOnlyDictionary<string, string> knobs)
    {
        w.WriteStartObject("knobs");
        foreach (var (name, value) in knobs.OrderBy(k => k.Key, StringComparer.Ordinal))
            w.WriteString(name, value);
        w.WriteEndObject();
    }
}
