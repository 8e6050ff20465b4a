namespace Gpuvmsim.Persistence;

/// <summary>
/// The "current" queries of Akka.Persistence.Query over the journal tables: each returns what is stored
/// when it starts (its upper bound is fixed then) and ends. Rows are read lazily in pages of
/// <c>replay-batch-size</c>; no connection or lock is held while the caller consumes an envelope.
/// Deleted events are never returned. Offsets are the <c>journal.ordering</c> column, a global order with
/// possible gaps; an offset argument is exclusive (pass the last offset seen, or 0 for everything).
/// </summary>
public interface IReadJournal
{
    /// <summary>Events of one persistence id with <paramref name="fromSequenceNr"/> ≤ sequence number ≤ <paramref name="toSequenceNr"/>, in sequence order.</summary>
    IEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue);

    /// <inheritdoc cref="CurrentEventsByPersistenceId"/>
    IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Events carrying <paramref name="tag"/> with an ordering greater than <paramref name="offset"/>, in ordering order.</summary>
    IEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset = 0);

    /// <inheritdoc cref="CurrentEventsByTag"/>
    IAsyncEnumerable<EventEnvelope> CurrentEventsByTagAsync(string tag, long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>All events with an ordering greater than <paramref name="offset"/>, in ordering order.</summary>
    IEnumerable<EventEnvelope> CurrentAllEvents(long offset = 0);

    /// <inheritdoc cref="CurrentAllEvents"/>
    IAsyncEnumerable<EventEnvelope> CurrentAllEventsAsync(long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Every persistence id that has a row in the journal, in ordinal order, each once.</summary>
    IEnumerable<string> CurrentPersistenceIds();

    /// <inheritdoc cref="CurrentPersistenceIds"/>
    IAsyncEnumerable<string> CurrentPersistenceIdsAsync(CancellationToken cancellationToken = default);
}

/// <summary>One event as a query returns it (Akka.Persistence.Query's <c>EventEnvelope</c>).</summary>
/// <param name="Offset">The event's <c>journal.ordering</c>: resume a query after it.</param>
/// <param name="PersistenceId">The entity that wrote the event.</param>
/// <param name="SequenceNr">The event's position in that entity's stream.</param>
/// <param name="Event">The deserialized event.</param>
/// <param name="Timestamp">UTC ticks stored in <c>journal.created</c>.</param>
/// <param name="Tags">The event's tags, in ordinal order.</param>
public sealed record EventEnvelope(long Offset, string PersistenceId, long SequenceNr, object Event, long Timestamp, IReadOnlyList<string> Tags);
