using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>Timeline entries as JSON objects: a delivery with its trace fields, a world event with its stream, manifest and stored payload.</summary>
public static class TimelineJson
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON a world event is stored as.</summary>
    public static string Payload(WorldEvent e) => Encoding.UTF8.GetString(BindJournalEvents.Registry.Serialize(e, out _));

    /// <summary>One entry as a single-line JSON object (a line of <c>export --format jsonl</c>).</summary>
    public static string Line(string journalId, TimelineEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
            Write(w, journalId, entry);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter w, string journalId, TimelineEntry entry)
    {
        w.WriteStartObject();
        switch (entry)
        {
            case DeliveryEntry { Delivery: var d }:
                w.WriteString("kind", "delivery");
                w.WriteNumber("step", d.Step);
                w.WriteNumber("virtual_ticks", d.VirtualTicks);
                w.WriteString("from", d.Sender);
                w.WriteString("to", d.Receiver);
                w.WriteString("type", d.MessageType);
                w.WriteString("message", d.Message);
                break;
            case WorldEventEntry e:
                w.WriteString("kind", "world-event");
                if (e.Step is { } step)
                    w.WriteNumber("step", step);
                else
                    w.WriteNull("step");
                w.WriteString("actor", e.Actor);
                w.WriteString("stream", BindJournalIds.ActorStream(journalId, e.Actor));
                w.WriteNumber("sequence_nr", e.SequenceNr);
                w.WriteString("manifest", e.Manifest);
                w.WritePropertyName("event");
                w.WriteRawValue(Payload(e.Event));
                break;
        }
        w.WriteEndObject();
    }
}
