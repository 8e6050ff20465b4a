namespace Gpuvmsim.Persistence;

/// <summary>
/// One journaled event, shaped like Akka.Persistence's <c>IPersistentRepresentation</c>.
/// On the way in the caller fills <see cref="PersistenceId"/>, <see cref="SequenceNr"/>, <see cref="Payload"/>,
/// and optionally <see cref="Timestamp"/> and <see cref="Tags"/>; the journal fills <see cref="Manifest"/> and
/// <see cref="WriterUuid"/> (any value given for them on a write is ignored). On replay every property is
/// read back, except <see cref="Tags"/>, which replay leaves empty as Akka does (the read journal's envelopes carry them).
/// </summary>
/// <param name="PersistenceId">The persistent entity; at most 255 characters (<c>journal.persistence_id</c>).</param>
/// <param name="SequenceNr">1-based position of the event in its entity's stream.</param>
/// <param name="Payload">The event: an instance of a type registered in the <see cref="Serialization.EventRegistry"/>.</param>
public sealed record PersistentRepr(string PersistenceId, long SequenceNr, object Payload)
{
    /// <summary>The serializer manifest stored with the event (e.g. <c>va-inserted.v1</c>); set by the journal.</summary>
    public string Manifest { get; init; } = "";

    /// <summary>The journal instance that wrote the event (<c>journal.writer_uuid</c>); set by the journal.</summary>
    public string WriterUuid { get; init; } = "";

    /// <summary>
    /// UTC ticks (100 ns since 0001-01-01), stored in <c>journal.created</c>. Zero on a write means
    /// "stamp it with the journal's clock", as the Akka plugin does.
    /// </summary>
    public long Timestamp { get; init; }

    /// <summary>Tags written as rows of the tag table (at most 64 characters each, duplicates collapse).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>
/// An ordered batch of events of one persistence id that the journal stores all-or-nothing
/// (Akka's <c>AtomicWrite</c>): either every event is stored, or none is. A journal batches many atomic
/// writes into one transaction but never splits one.
/// </summary>
public sealed class AtomicWrite
{
    /// <summary>Builds an atomic write of one event.</summary>
    public AtomicWrite(PersistentRepr single) : this([single]) { }

    /// <summary>Builds an atomic write; the events must share one persistence id and have strictly increasing sequence numbers.</summary>
    /// <exception cref="ArgumentException">The batch is empty, mixes persistence ids or is out of order.</exception>
    public AtomicWrite(IReadOnlyList<PersistentRepr> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("an atomic write holds at least one event", nameof(events));
        var first = events[0] ?? throw new ArgumentException("events[0] is null", nameof(events));
        ArgumentException.ThrowIfNullOrEmpty(first.PersistenceId, nameof(events));
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"events[{i}] is null", nameof(events));
            if (!string.Equals(e.PersistenceId, first.PersistenceId, StringComparison.Ordinal))
                throw new ArgumentException($"events[{i}] belongs to '{e.PersistenceId}', not '{first.PersistenceId}': an atomic write covers one persistence id", nameof(events));
            if (e.SequenceNr < 1)
                throw new ArgumentException($"events[{i}] has sequence number {e.SequenceNr}; sequence numbers start at 1", nameof(events));
            if (i > 0 && e.SequenceNr <= events[i - 1].SequenceNr)
                throw new ArgumentException($"events[{i}] has sequence number {e.SequenceNr} after {events[i - 1].SequenceNr}: sequence numbers must increase", nameof(events));
            ArgumentNullException.ThrowIfNull(e.Payload, $"{nameof(events)}[{i}].{nameof(PersistentRepr.Payload)}");
        }
        Events = events.ToArray();
    }

    /// <summary>The events, in write order.</summary>
    public IReadOnlyList<PersistentRepr> Events { get; }

    /// <summary>The persistence id all events share.</summary>
    public string PersistenceId => Events[0].PersistenceId;

    /// <summary>The first event's sequence number.</summary>
    public long LowestSequenceNr => Events[0].SequenceNr;

    /// <summary>The last event's sequence number.</summary>
    public long HighestSequenceNr => Events[^1].SequenceNr;
}
