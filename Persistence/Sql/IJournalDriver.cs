namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// What a database must do for <see cref="SqlJournal"/>: each method is one short unit of work on one
/// connection (one transaction for the writes), with the store's own concurrency rules, and returns before the
/// caller sees any row (no connection is held between calls). Every method takes <c>async</c>: when false it
/// must complete synchronously (only blocking I/O), so that the synchronous API can run it and take the result.
/// Provider errors meaning "the file is damaged" come out as <see cref="UnusableDatabaseException"/>.
/// </summary>
internal interface IJournalDriver : IDisposable, IAsyncDisposable
{
    /// <summary>The file path or the server and schema, for messages.</summary>
    string Database { get; }

    /// <summary>Inserts the writes' rows and tag rows in one transaction, in order.</summary>
    /// <exception cref="UniqueViolationException">A (persistence id, sequence number) was taken; nothing was stored.</exception>
    ValueTask Insert(bool async, IReadOnlyList<SerializedWrite> writes, string writerUuid, CancellationToken ct);

    /// <summary>The sequence numbers stored for <paramref name="persistenceId"/> between <paramref name="lowest"/> and <paramref name="highest"/>.</summary>
    ValueTask<List<long>> StoredSequenceNrs(bool async, string persistenceId, long lowest, long highest, CancellationToken ct);

    /// <summary>Appends up to <paramref name="limit"/> not-deleted events of a persistence id, by sequence number; with <paramref name="tags"/>, their tags too (keyed by sequence number).</summary>
    ValueTask ReadEventsOfPid(bool async, string persistenceId, long from, long to, int limit, List<StoredEvent> events, List<StoredTag>? tags, CancellationToken ct);

    /// <summary>Appends up to <paramref name="limit"/> not-deleted events with <paramref name="after"/> &lt; ordering ≤ <paramref name="upTo"/>, and their tags keyed by ordering.</summary>
    ValueTask ReadEventsByOrdering(bool async, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct);

    /// <summary>As <see cref="ReadEventsByOrdering"/>, only events carrying <paramref name="tag"/>.</summary>
    ValueTask ReadEventsByTag(bool async, string tag, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct);

    /// <summary>The highest stored sequence number ≥ <paramref name="from"/>, deleted rows included; 0 when none.</summary>
    ValueTask<long> ReadHighestSequenceNr(bool async, string persistenceId, long from, CancellationToken ct);

    /// <summary>The highest ordering stored; 0 when the journal is empty.</summary>
    ValueTask<long> ReadMaxOrdering(bool async, CancellationToken ct);

    /// <summary>Appends up to <paramref name="limit"/> distinct persistence ids greater than <paramref name="after"/>, in ordinal order.</summary>
    ValueTask ReadPersistenceIds(bool async, string after, int limit, List<string> into, CancellationToken ct);

    /// <summary>The plugin's delete, in one transaction: mark ≤ <paramref name="toSequenceNr"/>, remove all marked but the highest, remove their tags.</summary>
    ValueTask DeleteTo(bool async, string persistenceId, long toSequenceNr, CancellationToken ct);
}
