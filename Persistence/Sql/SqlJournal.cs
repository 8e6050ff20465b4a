using System.Threading.Channels;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// The journal over any <see cref="IJournalDriver"/>: validation, serialization, batching and the per-write
/// outcome rules, written once for both stores and for both the synchronous and asynchronous API.
/// <para>
/// <b>Batching.</b> <see cref="WriteMessages"/> serializes every write first (outside any lock; a write that
/// cannot be serialized is rejected alone), then cuts the list into chunks of consecutive writes holding at most
/// <c>batch-size</c> rows — a write larger than that is a chunk by itself — and hands each chunk to the driver as
/// one transaction. When a chunk hits a taken sequence number the transaction rolls back whole, and its writes
/// are retried one transaction each, so only the conflicting ones are rejected. A storage failure fails the
/// chunk and every later write of the call, so that a persistence id never gets a gap in its stream.
/// </para>
/// </summary>
internal sealed class SqlJournal : IJournal
{
    /// <summary>Longest persistence id the columns hold (VARCHAR(255)).</summary>
    private const int MaxPersistenceIdLength = 255;

    /// <summary>Longest tag the tag column holds (VARCHAR(64)).</summary>
    private const int MaxTagLength = 64;

    private readonly IJournalDriver _driver;
    private readonly EventRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly int _batchSize;
    private readonly int _replayBatchSize;
    private int _disposed;

    public SqlJournal(IJournalDriver driver, EventRegistry registry, JournalSettings settings, TimeProvider clock)
    {
        _driver = driver;
        _registry = registry;
        _clock = clock;
        _batchSize = settings.BatchSize;
        _replayBatchSize = settings.ReplayBatchSize;
        WriterUuid = Guid.NewGuid().ToString();
        Query = new SqlReadJournal(driver, registry, settings.ReplayBatchSize, () => Volatile.Read(ref _disposed) != 0);
    }

    public string WriterUuid { get; }

    public IReadJournal Query { get; }

    public IReadOnlyList<WriteResult> WriteMessages(IReadOnlyList<AtomicWrite> writes) =>
        Sync.Run(Write(false, writes, CancellationToken.None));

    public Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default) =>
        Write(true, writes, cancellationToken).AsTask();

    public long ReplayMessages(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onReplayed) =>
        Sync.Run(Replay(false, persistenceId, fromSequenceNr, toSequenceNr, max, onReplayed, CancellationToken.None));

    public Task<long> ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onReplayed, CancellationToken cancellationToken = default) =>
        Replay(true, persistenceId, fromSequenceNr, toSequenceNr, max, onReplayed, cancellationToken).AsTask();

    public long ReadHighestSequenceNr(string persistenceId, long fromSequenceNr = 0) =>
        Sync.Run(Highest(false, persistenceId, fromSequenceNr, CancellationToken.None));

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default) =>
        Highest(true, persistenceId, fromSequenceNr, cancellationToken).AsTask();

    public void DeleteMessagesTo(string persistenceId, long toSequenceNr) =>
        Sync.Run(Delete(false, persistenceId, toSequenceNr, CancellationToken.None));

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        Delete(true, persistenceId, toSequenceNr, cancellationToken).AsTask();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _driver.Dispose();
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _driver.DisposeAsync() : ValueTask.CompletedTask;

    private async ValueTask<IReadOnlyList<WriteResult>> Write(bool async, IReadOnlyList<AtomicWrite> writes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ThrowIfDisposed();
        var results = new WriteResult[writes.Count];
        var ready = new List<SerializedWrite>(writes.Count);
        var now = _clock.GetUtcNow().UtcTicks;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i] ?? throw new ArgumentNullException($"{nameof(writes)}[{i}]");
            try
            {
                ready.Add(Serialize(i, write, now));
            }
            catch (EventNotSerializableException e)
            {
                results[i] = WriteResult.Rejected(e);
            }
        }

        var chunk = new List<SerializedWrite>();
        var next = 0;
        while (next < ready.Count)
        {
            chunk.Clear();
            var rows = 0;
            while (next < ready.Count && (chunk.Count == 0 || rows + ready[next].Rows.Length <= _batchSize))
            {
                rows += ready[next].Rows.Length;
                chunk.Add(ready[next++]);
            }
            var failure = await InsertChunk(async, chunk, results, ct).ConfigureAwait(false);
            if (failure is null)
                continue;
            for (var k = next; k < ready.Count; k++)
                results[ready[k].Index] = WriteResult.Failed(failure);
            break;
        }
        return results;
    }

    /// <summary>Stores one chunk; on a conflict retries its writes one by one.</summary>
    /// <returns>The failure that must stop the call, or null.</returns>
    private async ValueTask<Exception?> InsertChunk(bool async, List<SerializedWrite> chunk, WriteResult[] results, CancellationToken ct)
    {
        try
        {
            await _driver.Insert(async, chunk, WriterUuid, ct).ConfigureAwait(false);
            foreach (var write in chunk)
                results[write.Index] = WriteResult.Persisted;
            return null;
        }
        catch (UniqueViolationException e) when (chunk.Count == 1)
        {
            results[chunk[0].Index] = WriteResult.Rejected(await Conflict(async, chunk[0], e, ct).ConfigureAwait(false));
            return null;
        }
        catch (UniqueViolationException)
        {
            // Rolled back whole: find the culprits below, one transaction per write.
        }
        catch (Exception e)
        {
            foreach (var write in chunk)
                results[write.Index] = WriteResult.Failed(e);
            return e;
        }

        for (var k = 0; k < chunk.Count; k++)
        {
            try
            {
                await _driver.Insert(async, [chunk[k]], WriterUuid, ct).ConfigureAwait(false);
                results[chunk[k].Index] = WriteResult.Persisted;
            }
            catch (UniqueViolationException e)
            {
                results[chunk[k].Index] = WriteResult.Rejected(await Conflict(async, chunk[k], e, ct).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                for (var rest = k; rest < chunk.Count; rest++)
                    results[chunk[rest].Index] = WriteResult.Failed(e);
                return e;
            }
        }
        return null;
    }

    /// <summary>Names the first sequence number of <paramref name="write"/> that another write already stored.</summary>
    private async ValueTask<SequenceNumberConflictException> Conflict(bool async, SerializedWrite write, UniqueViolationException e, CancellationToken ct)
    {
        var taken = write.LowestSequenceNr;
        try
        {
            var stored = await _driver.StoredSequenceNrs(async, write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr, ct).ConfigureAwait(false);
            var mine = write.Rows.Select(r => r.SequenceNr).ToHashSet();
            taken = stored.FirstOrDefault(mine.Contains, taken);
        }
        catch (Exception)
        {
            // Only the message's precision is lost: the write is rejected either way.
        }
        return JournalErrors.SequenceConflict(_driver.Database, write.PersistenceId, taken, write.LowestSequenceNr, write.HighestSequenceNr, e.InnerException);
    }

    private SerializedWrite Serialize(int index, AtomicWrite write, long now)
    {
        var pid = write.PersistenceId;
        if (pid.Length > MaxPersistenceIdLength)
            throw JournalErrors.TooLong("persistence id", pid, MaxPersistenceIdLength, pid, write.LowestSequenceNr);
        var rows = new SerializedRow[write.Events.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var e = write.Events[i];
            var message = _registry.Serialize(e.Payload, out var manifest);
            rows[i] = new SerializedRow(e.SequenceNr, e.Timestamp > 0 ? e.Timestamp : now, message, manifest, Tags(e));
        }
        return new SerializedWrite(index, pid, rows);
    }

    private static string[] Tags(PersistentRepr e)
    {
        if (e.Tags.Count == 0)
            return [];
        var tags = new List<string>(e.Tags.Count);
        foreach (var tag in e.Tags)
        {
            if (string.IsNullOrEmpty(tag))
                throw JournalErrors.EmptyTag(e.PersistenceId, e.SequenceNr);
            if (tag.Length > MaxTagLength)
                throw JournalErrors.TooLong("tag", tag, MaxTagLength, e.PersistenceId, e.SequenceNr);
            if (!tags.Contains(tag, StringComparer.Ordinal))
                tags.Add(tag);
        }
        return [.. tags];
    }

    /// <summary>
    /// Replays page by page. The first page is read on the caller's thread; when it is full, a reader on a pool
    /// thread reads the next pages back to back, at most <see cref="ReadAheadPages"/> ahead of delivery, while the
    /// caller deserializes and delivers, so that reading and deserializing overlap and the reader never waits for a
    /// hand-off. Callbacks always run on the caller's thread, in sequence order.
    /// </summary>
    private async ValueTask<long> Replay(bool async, string persistenceId, long from, long to, long max, Action<PersistentRepr> onReplayed, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(onReplayed);
        ThrowIfDisposed();
        from = Math.Max(from, 0);
        if (max <= 0 || to < from)
            return 0;
        var limit = (int)Math.Min(_replayBatchSize, max);
        var page = new List<StoredEvent>(limit);
        await _driver.ReadEventsOfPid(async, persistenceId, from, to, limit, page, null, ct).ConfigureAwait(false);
        if (page.Count == max || IsLastPage(page, limit, to))
        {
            Deliver(page, onReplayed);
            return page.Count;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = Channel.CreateBounded<List<StoredEvent>>(new BoundedChannelOptions(ReadAheadPages) { SingleReader = true, SingleWriter = true });
        // The reader's arguments are taken now: the loop below reuses `page`.
        var (next, remaining, token) = (page[^1].SequenceNr + 1, max - page.Count, stop.Token);
        var reader = Task.Run(() => ReadPages(async, persistenceId, next, to, remaining, pages.Writer, token), CancellationToken.None);
        long delivered = 0;
        try
        {
            while (true)
            {
                delivered += Deliver(page, onReplayed);
                if (!pages.Reader.TryRead(out page!))
                {
                    var more = async ? await pages.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false)
                        : pages.Reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    if (!more || !pages.Reader.TryRead(out page!))
                        break;
                }
            }
            // The reader completed the channel: it is done, or failed (rethrown here).
            if (async)
                await reader.ConfigureAwait(false);
            else
                reader.GetAwaiter().GetResult();
            return delivered;
        }
        finally
        {
            if (!reader.IsCompleted)
            {
                // A callback threw while the reader was ahead: stop it and wait for it to leave the store. Its rows
                // and any error it met are dropped: the callback's exception is the one propagating.
                stop.Cancel();
                try
                {
                    if (async)
                        await reader.ConfigureAwait(false);
                    else
                        reader.GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                }
            }
        }
    }

    /// <summary>Pages read ahead of delivery: enough to cover a slow page, few enough to bound memory.</summary>
    private const int ReadAheadPages = 2;

    /// <summary>The reader of <see cref="Replay"/>: pages of at most <c>replay-batch-size</c> rows from <paramref name="from"/>
    /// until <paramref name="remaining"/> rows were read, <paramref name="to"/> was passed or a page came back short.</summary>
    private async Task ReadPages(bool async, string persistenceId, long from, long to, long remaining, ChannelWriter<List<StoredEvent>> pages, CancellationToken ct)
    {
        try
        {
            while (remaining > 0)
            {
                var limit = (int)Math.Min(_replayBatchSize, remaining);
                var page = new List<StoredEvent>(limit);
                // In the caller's mode: an asynchronous replay does not hold this pool thread during I/O.
                await _driver.ReadEventsOfPid(async, persistenceId, from, to, limit, page, null, ct).ConfigureAwait(false);
                if (page.Count > 0)
                    await pages.WriteAsync(page, ct).ConfigureAwait(false);
                if (IsLastPage(page, limit, to))
                    return;
                remaining -= page.Count;
                from = page[^1].SequenceNr + 1;
            }
        }
        finally
        {
            pages.TryComplete();
        }
    }

    /// <summary>A short page, or one reaching <paramref name="to"/>: nothing follows it.</summary>
    private static bool IsLastPage(List<StoredEvent> page, int limit, long to) => page.Count < limit || page[^1].SequenceNr >= to;

    private int Deliver(List<StoredEvent> page, Action<PersistentRepr> onReplayed)
    {
        foreach (var row in page)
            onReplayed(ToRepr(row));
        return page.Count;
    }

    private PersistentRepr ToRepr(in StoredEvent row)
    {
        var location = new RowLocation(_driver.Database, row.PersistenceId, row.SequenceNr);
        var payload = _registry.Deserialize(row.Message, row.Identifier, row.Manifest, location);
        return new PersistentRepr(row.PersistenceId, row.SequenceNr, payload)
        {
            Manifest = row.Manifest ?? "",
            WriterUuid = row.WriterUuid ?? "",
            Timestamp = row.Created,
        };
    }

    private ValueTask<long> Highest(bool async, string persistenceId, long from, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ThrowIfDisposed();
        return _driver.ReadHighestSequenceNr(async, persistenceId, Math.Max(from, 0), ct);
    }

    private ValueTask Delete(bool async, string persistenceId, long toSequenceNr, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ThrowIfDisposed();
        return toSequenceNr < 1 ? ValueTask.CompletedTask : _driver.DeleteTo(async, persistenceId, toSequenceNr, ct);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
