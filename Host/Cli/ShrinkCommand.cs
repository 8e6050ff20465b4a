using System.CommandLine;
using System.Text;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Shrinking;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// <c>gpuvmsim shrink JOURNAL_ID --journal DB [--finding KIND] [--json] [--max-replays N]</c>: reduces a bind journal's
/// run (scenario steps, contexts, objects and schedule) to a shorter one showing the same finding, and stores it as a
/// new journal linked to the original.
/// </summary>
internal static class ShrinkCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("JOURNAL_ID") { Description = "the bind journal to shrink (r-…)" };
        var journal = new Option<string>("--journal") { Description = "the journal database (SQLite file or PostgreSQL URL)", Required = true };
        var finding = new Option<string?>("--finding") { Description = "shrink around the first finding of this kind (default: the finding its exploration journaled it for, else the run's first)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var maxReplays = new Option<int>("--max-replays") { Description = "most runs the shrink may make before it stops with what it has", DefaultValueFactory = _ => ShrinkRequest.DefaultMaxReplays };
        var command = new Command("shrink", "Shrink a bind journal's run to a shorter one with the same finding, stored as a new journal.")
        {
            id, journal, finding, json, maxReplays,
        };
        command.SetGuardedAction(parse =>
        {
            if (parse.GetValue(maxReplays) < 1)
                throw new InputException("--max-replays: must be >= 1");
            using var store = BindJournalStore.Open(parse.GetValue(journal)!, create: false);
            var shrunk = JournalShrinker.Shrink(store, parse.GetValue(id)!, parse.GetValue(finding), DateTimeOffset.UtcNow, parse.GetValue(maxReplays));
            Console.Write(parse.GetValue(json) ? Json(shrunk) + "\n" : Human(shrunk, store.Target));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Json(ShrunkJournal shrunk) => CliJson.Object(w =>
    {
        w.WriteString("journal_id", shrunk.Original.JournalId);
        w.WriteString("shrunk_journal_id", shrunk.Shrunk.JournalId);
        w.WriteStartObject("finding");
        w.WriteString("kind", shrunk.Finding.Kind);
        w.WriteString("summary", shrunk.Finding.Summary);
        w.WriteEndObject();
        w.WriteStartObject("original");
        w.WriteNumber("steps", shrunk.OriginalSteps);
        w.WriteNumber("schedule_length", shrunk.OriginalScheduleLength);
        w.WriteEndObject();
        w.WriteStartObject("shrunk");
        w.WriteNumber("steps", shrunk.ShrunkSteps);
        w.WriteNumber("schedule_length", shrunk.ShrunkScheduleLength);
        w.WriteNumber("decisive_choices", shrunk.Shrink.DecisiveChoices);
        w.WriteEndObject();
        w.WriteNumber("replays", shrunk.Shrink.Replays);
        w.WriteBoolean("budget_exhausted", shrunk.Shrink.BudgetExhausted);
        w.WriteString("scenario", shrunk.ScenarioText);
    });

    public static string Human(ShrunkJournal shrunk, string database)
    {
        var result = shrunk.Shrink;
        var w = new StringBuilder();
        w.AppendLine($"journal {shrunk.Original.JournalId}: scenario {shrunk.Original.Setup.Scenario}, design {shrunk.Original.Setup.Design}");
        w.AppendLine($"finding: {shrunk.Finding.Kind}: {shrunk.Finding.Summary}");
        w.AppendLine($"original: {shrunk.OriginalSteps} step(s), schedule of {shrunk.OriginalScheduleLength} choice(s)");
        w.AppendLine($"shrunk:   {shrunk.ShrunkSteps} step(s), schedule of {shrunk.ShrunkScheduleLength} choice(s), {result.DecisiveChoices} of them decisive (the rest: oldest message first)");
        w.AppendLine($"{result.Replays} replay(s) in {result.Rounds} round(s)" + (result.BudgetExhausted ? "; the replay budget ran out before a fixpoint (raise --max-replays to shrink further)" : ""));
        if (result.SimulatorFailures > 0)
            w.AppendLine($"warning: the simulator failed on {result.SimulatorFailures} candidate(s); they were skipped");
        w.AppendLine($"stored as {shrunk.Shrunk.JournalId} (shrunk from {shrunk.Original.JournalId}): gpuvmsim replay {shrunk.Shrunk.JournalId} --journal {database}");
        w.AppendLine().AppendLine("shrunk scenario:").Append(shrunk.ScenarioText);
        return w.ToString();
    }
}
