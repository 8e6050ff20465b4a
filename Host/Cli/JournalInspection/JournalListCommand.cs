using System.CommandLine;
using System.Text;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>
/// <c>gpuvmsim journal list --journal DB [--scenario NAME] [--design D] [--finding KIND] [--since DATE] [--until DATE]
/// [--explorations] [--json]</c>: one line per stored run (or exploration), oldest first, queried by tag. A record that
/// cannot be read is named on stderr and left out, the others are listed, and the exit status is 2.
/// </summary>
internal static class JournalListCommand
{
    public static Command Create()
    {
        var database = JournalInputs.Database();
        var json = JournalInputs.Json();
        var scenario = new Option<string?>("--scenario") { Description = "only runs of this scenario (its name, as recorded)" };
        var design = new Option<string?>("--design") { Description = "only runs under this design" };
        var finding = new Option<string?>("--finding") { Description = "only runs that found this kind (deadlock, lock-order-inversion, leak, …)" };
        var since = new Option<string?>("--since") { Description = "only runs recorded at or after DATE (2026-11-21 or an ISO 8601 instant; UTC unless given)" };
        var until = new Option<string?>("--until") { Description = "only runs recorded at or before DATE (a bare date: to the end of that day)" };
        var explorations = new Option<bool>("--explorations") { Description = "list explorations (x-…) instead of runs" };
        var command = new Command("list", "List the stored runs (or explorations) of a journal database.")
        {
            database, scenario, design, finding, since, until, explorations, json,
        };
        command.SetGuardedAction(parse =>
        {
            var filter = new JournalFilter(
                parse.GetValue(scenario), parse.GetValue(design), parse.GetValue(finding),
                JournalInputs.Date("--since", parse.GetValue(since), upperBound: false),
                JournalInputs.Date("--until", parse.GetValue(until), upperBound: true));
            using var store = JournalInputs.Open(parse, database);
            IReadOnlyList<string> unreadable;
            if (parse.GetValue(explorations))
            {
                var found = store.ListExplorations(filter);
                Console.Write(parse.GetValue(json) ? ExplorationsJson(found.Items) + "\n" : ExplorationsHuman(found.Items));
                unreadable = found.Unreadable;
            }
            else
            {
                var found = store.ListRuns(filter);
                Console.Write(parse.GetValue(json) ? RunsJson(found.Items) + "\n" : RunsHuman(found.Items));
                unreadable = found.Unreadable;
            }
            // The readable ones are listed; each damaged record is named, and the exit status says the database is damaged.
            foreach (var message in unreadable)
                Console.Error.WriteLine($"{message} (left out of the list)");
            return unreadable.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return command;
    }

    public static string RunsHuman(IReadOnlyList<BindRunRecorded> runs)
    {
        if (runs.Count == 0)
            return "no runs match\n";
        var w = new StringBuilder();
        foreach (var r in runs)
            w.AppendLine($"{r.JournalId}  {r.RecordedAt:u}  {r.Setup.Scenario}  {r.Setup.Design}  {r.Setup.Strategy}/{r.Setup.Seed}  [{string.Join(", ", r.Verdict)}]" +
                (r.ShrunkFrom is { } original ? $"  shrunk from {original}" : ""));
        return w.ToString();
    }

    public static string ExplorationsHuman(IReadOnlyList<ExplorationRecorded> explorations)
    {
        if (explorations.Count == 0)
            return "no explorations match\n";
        var w = new StringBuilder();
        foreach (var x in explorations)
        {
            w.AppendLine($"{x.ExplorationId}  {x.RecordedAt:u}  {x.Setup.Scenario}  {x.Setup.Design}  {x.Setup.Strategy}/{x.Setup.Seed}  " +
                $"{x.Schedules} schedule(s){(x.Exhausted ? ", exhausted" : "")}  [{string.Join(", ", x.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal))}]");
        }
        return w.ToString();
    }

    public static string RunsJson(IReadOnlyList<BindRunRecorded> runs) => CliJson.Object(w =>
    {
        w.WriteStartArray("runs");
        foreach (var r in runs)
        {
            w.WriteStartObject();
            w.WriteString("journal_id", r.JournalId);
            w.WriteString("recorded_at", r.RecordedAt);
            CliJson.WriteSetupSummary(w, r.Setup);
            w.WriteNumber("steps", r.Steps);
            if (r.ExplorationId is { } explorationId)
                w.WriteString("exploration_id", explorationId);
            if (r.ShrunkFrom is { } shrunkFrom)
                w.WriteString("shrunk_from", shrunkFrom);
            w.WriteStartArray("findings");
            foreach (var kind in r.Verdict)
                w.WriteStringValue(kind);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static string ExplorationsJson(IReadOnlyList<ExplorationRecorded> explorations) => CliJson.Object(w =>
    {
        w.WriteStartArray("explorations");
        foreach (var x in explorations)
        {
            w.WriteStartObject();
            w.WriteString("exploration_id", x.ExplorationId);
            w.WriteString("recorded_at", x.RecordedAt);
            CliJson.WriteSetupSummary(w, x.Setup);
            w.WriteNumber("schedules", x.Schedules);
            w.WriteBoolean("exhausted", x.Exhausted);
            w.WriteStartArray("findings");
            foreach (var kind in x.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal))
                w.WriteStringValue(kind);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });
}
