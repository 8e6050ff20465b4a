using System.CommandLine;
using System.Text;
using Gpuvmsim.Persistence.BindJournals.Inspection;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>
/// <c>gpuvmsim journal events ID --journal DB [--json]</c>: a run's events in step order — each delivery of its trace
/// followed by the world events it caused, with their streams and sequence numbers.
/// </summary>
internal static class JournalEventsCommand
{
    public static Command Create()
    {
        var id = JournalInputs.Id("JOURNAL_ID");
        var database = JournalInputs.Database();
        var json = JournalInputs.Json();
        var command = new Command("events", "Print a stored run's events in step order: deliveries and the world events they caused.") { id, database, json };
        command.SetGuardedAction(parse =>
        {
            using var store = JournalInputs.Open(parse, database);
            var timeline = JournalInputs.Timeline(JournalInputs.LoadRun(store, parse.GetValue(id)!, "events"));
            Console.Write(parse.GetValue(json) ? Json(timeline) + "\n" : Human(timeline));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Human(RunTimeline timeline)
    {
        var w = new StringBuilder();
        var worldEvents = timeline.Entries.OfType<WorldEventEntry>().Count();
        w.AppendLine($"journal {timeline.Header.JournalId}: {timeline.Deliveries.Count} deliveries, {worldEvents} world events");
        if (timeline.Analysis.Problem is { } problem)
            w.AppendLine($"note: {problem}; world events are listed per actor, without their steps");
        foreach (var entry in timeline.Entries)
        {
            switch (entry)
            {
                case DeliveryEntry { Delivery: var d }:
                    w.AppendLine($"{d.Step,6} @{d.VirtualTicks} {TraceDelivery.ActorName(d.Sender)} -> {TraceDelivery.ActorName(d.Receiver)}: {d.Message}");
                    break;
                case WorldEventEntry e:
                    w.AppendLine($"{(e.Step is null ? "     ?" : "")}         {e.Actor} #{e.SequenceNr} {e.Manifest} {TimelineJson.Payload(e.Event)}");
                    break;
            }
        }
        return w.ToString();
    }

    public static string Json(RunTimeline timeline) => CliJson.Object(w =>
    {
        w.WriteString("journal_id", timeline.Header.JournalId);
        if (timeline.Analysis.Problem is { } problem)
            w.WriteString("note", problem);
        w.WriteStartArray("events");
        foreach (var entry in timeline.Entries)
            TimelineJson.Write(w, timeline.Header.JournalId, entry);
        w.WriteEndArray();
    });
}
