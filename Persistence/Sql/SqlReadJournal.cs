using System.Runtime.CompilerServices;
using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// The current queries over any <see cref="IJournalDriver"/>. Each query is a cursor that fetches one page per
/// driver call (events and their tags together) and fixes its upper bound when enumeration starts; the
/// synchronous and asynchronous enumerables drive the same cursor.
/// </summary>
internal sealed class SqlReadJournal(IJournalDriver driver, EventRegistry registry, int pageSize, Func<bool> isDisposed) : IReadJournal
{
    private readonly IJournalDriver _driver = driver;
    private readonly EventRegistry _registry = registry;
    private readonly int _pageSize = pageSize;

    public IEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return Enumerate(() => new PidCursor(this, persistenceId, Math.Max(fromSequenceNr, 0), toSequenceNr));
    }

    public IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return EnumerateAsync(() => new PidCursor(this, persistenceId, Math.Max(fromSequenceNr, 0), toSequenceNr), cancellationToken);
    }

    public IEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return Enumerate(() => new TagCursor(this, tag, offset));
    }

    /// <summary><see cref="CurrentEventsByTag(string, long)"/> that goes on past a row it cannot decode: that row's
    /// envelope carries an <see cref="UndecodedEvent"/> (for listings, which show what they can and name the rest).</summary>
    internal IEnumerable<EventEnvelope> CurrentEventsByTagKeepingUndecoded(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return Enumerate(() => new TagCursor(this, tag, 0) { KeepUndecoded = true });
    }

    public IAsyncEnumerable<EventEnvelope> CurrentEventsByTagAsync(string tag, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return EnumerateAsync(() => new TagCursor(this, tag, offset), cancellationToken);
    }

    public IEnumerable<EventEnvelope> CurrentAllEvents(long offset = 0) => Enumerate(() => new OrderingCursor(this, offset));

    public IAsyncEnumerable<EventEnvelope> CurrentAllEventsAsync(long offset = 0, CancellationToken cancellationToken = default) =>
        EnumerateAsync(() => new OrderingCursor(this, offset), cancellationToken);

    public IEnumerable<string> CurrentPersistenceIds()
    {
        var page = new List<string>();
        var after = "";
        do
        {
            page.Clear();
            ThrowIfDisposed();
            Sync.Run(_driver.ReadPersistenceIds(false, after, _pageSize, page, CancellationToken.None));
            foreach (var id in page)
                yield return id;
            after = page.Count > 0 ? page[^1] : after;
        }
        while (page.Count == _pageSize);
    }

    public async IAsyncEnumerable<string> CurrentPersistenceIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new List<string>();
        var after = "";
        do
        {
            page.Clear();
            ThrowIfDisposed();
            await _driver.ReadPersistenceIds(true, after, _pageSize, page, cancellationToken).ConfigureAwait(false);
            foreach (var id in page)
                yield return id;
            after = page.Count > 0 ? page[^1] : after;
        }
        while (page.Count == _pageSize);
    }

    private static IEnumerable<EventEnvelope> Enumerate(Func<Cursor> start)
    {
        var cursor = start();
        var page = new List<EventEnvelope>();
        while (Sync.Run(cursor.Next(false, page, CancellationToken.None)))
        {
            foreach (var envelope in page)
                yield return envelope;
        }
    }

    private static async IAsyncEnumerable<EventEnvelope> EnumerateAsync(Func<Cursor> start, [EnumeratorCancellation] CancellationToken ct)
    {
        var cursor = start();
        var page = new List<EventEnvelope>();
        while (await cursor.Next(true, page, ct).ConfigureAwait(false))
        {
            foreach (var envelope in page)
                yield return envelope;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(isDisposed(), typeof(IReadJournal));

    /// <summary>One running query: <see cref="Next"/> replaces the page's content with the next envelopes.</summary>
    private abstract class Cursor(SqlReadJournal owner)
    {
        private readonly List<StoredEvent> _events = [];
        private readonly List<StoredTag> _tags = [];
        private bool _done;

        protected IJournalDriver Driver => owner._driver;

        protected int PageSize => owner._pageSize;

        /// <summary>A row that does not decode becomes an <see cref="UndecodedEvent"/> instead of ending the query.</summary>
        public bool KeepUndecoded { get; init; }

        /// <returns>False when the query has no more envelopes.</returns>
        public async ValueTask<bool> Next(bool async, List<EventEnvelope> page, CancellationToken ct)
        {
            page.Clear();
            if (_done)
                return false;
            owner.ThrowIfDisposed();
            _events.Clear();
            _tags.Clear();
            _done = !await Fetch(async, _events, _tags, ct).ConfigureAwait(false);
            var t = 0;
            foreach (var row in _events)
            {
                var key = KeyOf(row);
                while (t < _tags.Count && _tags[t].Key < key)
                    t++;
                var first = t;
                while (t < _tags.Count && _tags[t].Key == key)
                    t++;
                var tags = t == first ? [] : _tags.GetRange(first, t - first).Select(x => x.Tag).ToArray();
                var location = new RowLocation(Driver.Database, row.PersistenceId, row.SequenceNr);
                var payload = Decode(row, location);
                page.Add(new EventEnvelope(row.Ordering, row.PersistenceId, row.SequenceNr, payload, row.Created, tags));
            }
            return page.Count > 0;
        }

        private object Decode(in StoredEvent row, in RowLocation location)
        {
            try
            {
                return owner._registry.Deserialize(row.Message, row.Identifier, row.Manifest, location);
            }
            catch (InputException e) when (KeepUndecoded)
            {
                return new UndecodedEvent(e);
            }
        }

        /// <summary>Reads the next page of rows and advances.</summary>
        /// <returns>False when this page is the last one.</returns>
        protected abstract ValueTask<bool> Fetch(bool async, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct);

        /// <summary>The key the page's tags are sorted by: sequence number or ordering.</summary>
        protected abstract long KeyOf(in StoredEvent row);
    }

    private sealed class PidCursor(SqlReadJournal owner, string persistenceId, long from, long to) : Cursor(owner)
    {
        private long _from = from;
        private long? _to;

        protected override async ValueTask<bool> Fetch(bool async, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
        {
            _to ??= Math.Min(to, await Driver.ReadHighestSequenceNr(async, persistenceId, 0, ct).ConfigureAwait(false));
            if (_from > _to)
                return false;
            await Driver.ReadEventsOfPid(async, persistenceId, _from, _to.Value, PageSize, events, tags, ct).ConfigureAwait(false);
            if (events.Count < PageSize || events[^1].SequenceNr >= _to)
                return false;
            _from = events[^1].SequenceNr + 1;
            return true;
        }

        protected override long KeyOf(in StoredEvent row) => row.SequenceNr;
    }

    private sealed class OrderingCursor(SqlReadJournal owner, long offset) : Cursor(owner)
    {
        private long _after = offset;
        private long? _upTo;

        protected override async ValueTask<bool> Fetch(bool async, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
        {
            _upTo ??= await Driver.ReadMaxOrdering(async, ct).ConfigureAwait(false);
            if (_after >= _upTo)
                return false;
            await Driver.ReadEventsByOrdering(async, _after, _upTo.Value, PageSize, events, tags, ct).ConfigureAwait(false);
            if (events.Count < PageSize)
                return false;
            _after = events[^1].Ordering;
            return true;
        }

        protected override long KeyOf(in StoredEvent row) => row.Ordering;
    }

    private sealed class TagCursor(SqlReadJournal owner, string tag, long offset) : Cursor(owner)
    {
        private long _after = offset;
        private long? _upTo;

        protected override async ValueTask<bool> Fetch(bool async, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
        {
            _upTo ??= await Driver.ReadMaxOrdering(async, ct).ConfigureAwait(false);
            if (_after >= _upTo)
                return false;
            await Driver.ReadEventsByTag(async, tag, _after, _upTo.Value, PageSize, events, tags, ct).ConfigureAwait(false);
            if (events.Count < PageSize)
                return false;
            _after = events[^1].Ordering;
            return true;
        }

        protected override long KeyOf(in StoredEvent row) => row.Ordering;
    }
}
