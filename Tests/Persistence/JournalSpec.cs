using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>
/// The journal contract, run unchanged on every store (as Akka.Persistence.TCK's <c>JournalSpec</c>): each
/// sealed subclass only says where a fresh, empty store is and how to look at its raw rows. Settings use tiny
/// batch sizes (4 rows per transaction, 3 rows per page) so that chunking and paging run in every test.
/// </summary>
public abstract partial class JournalSpec : IDisposable
{
    private readonly List<IJournal> _opened = [];

    protected ManualClock Clock { get; } = new(ManualClock.Epoch);

    /// <summary>Settings of this test's own, initially empty, store.</summary>
    protected abstract JournalSettings StoreSettings { get; }

    protected JournalSettings Settings => StoreSettings with { BatchSize = 4, ReplayBatchSize = 3 };

    /// <summary>Every journal row of <paramref name="pid"/> as stored, deleted ones included, by sequence number.</summary>
    protected abstract IReadOnlyList<(long SequenceNr, bool Deleted, string WriterUuid)> RawRows(string pid);

    /// <summary>The number of tag rows of <paramref name="pid"/>.</summary>
    protected abstract long RawTagRows(string pid);

    protected IJournal Open(EventRegistry? registry = null, JournalSettings? settings = null)
    {
        var journal = Journal.Open(settings ?? Settings, registry ?? TestEvents.Registry(), Clock);
        _opened.Add(journal);
        return journal;
    }

    public virtual void Dispose()
    {
        foreach (var journal in _opened)
            journal.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static PersistentRepr Event(string pid, long seq, params string[] tags) =>
        new(pid, seq, new VaInserted(0x1000 * seq, 4096, (int)seq)) { Tags = tags };

    /// <summary>One atomic write of the events <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1.</summary>
    protected static AtomicWrite Write(string pid, long from, int count = 1) =>
        new(Enumerable.Range(0, count).Select(i => Event(pid, from + i)).ToArray());

    protected static void Persist(IJournal journal, params AtomicWrite[] writes)
    {
        foreach (var result in journal.WriteMessages(writes))
            result.EnsurePersisted();
    }

    protected static List<PersistentRepr> Replay(IJournal journal, string pid, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var replayed = new List<PersistentRepr>();
        var count = journal.ReplayMessages(pid, from, to, max, replayed.Add);
        Assert.Equal(replayed.Count, count);
        return replayed;
    }

    protected static long[] Sequence(IEnumerable<PersistentRepr> events) => events.Select(e => e.SequenceNr).ToArray();

    protected static long[] Range(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i).ToArray();

    [StoreFact]
    public void Journal_replays_every_written_event_in_sequence_order_with_its_payload()
    {
        using var journal = Open();
        Persist(journal, Write("a", 1, 3), Write("b", 1), Write("a", 4, 2), Write("b", 2));

        var a = Replay(journal, "a");

        Assert.Equal(Range(1, 5), Sequence(a));
        Assert.All(a, e => Assert.Equal(new VaInserted(0x1000 * e.SequenceNr, 4096, (int)e.SequenceNr), e.Payload));
        Assert.All(a, e => Assert.Equal("a", e.PersistenceId));
        Assert.Equal(Range(1, 2), Sequence(Replay(journal, "b")));
    }

    [StoreFact]
    public void Replay_honours_from_to_and_max()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 10));

        Assert.Equal(Range(3, 10), Sequence(Replay(journal, "p", from: 3)));
        Assert.Equal(Range(1, 4), Sequence(Replay(journal, "p", to: 4)));
        Assert.Equal(Range(2, 8), Sequence(Replay(journal, "p", from: 2, to: 8)));
        Assert.Equal(Range(2, 6), Sequence(Replay(journal, "p", from: 2, max: 5)));
        Assert.Equal(Range(1, 7), Sequence(Replay(journal, "p", max: 7)));
        Assert.Empty(Replay(journal, "p", max: 0));
        Assert.Empty(Replay(journal, "p", from: 5, to: 4));
        Assert.Empty(Replay(journal, "p", from: 11));
        Assert.Equal([5L], Sequence(Replay(journal, "p", from: 5, to: 5)));
    }

    [StoreFact]
    public void Exception_thrown_by_the_replay_callback_propagates_and_leaves_the_journal_usable()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 10));
        var seen = new List<long>();

        var e = Assert.Throws<InvalidOperationException>(() => journal.ReplayMessages("p", 1, long.MaxValue, long.MaxValue, r =>
        {
            seen.Add(r.SequenceNr);
            if (r.SequenceNr == 4)
                throw new InvalidOperationException("recovery failed");
        }));

        Assert.Equal("recovery failed", e.Message);
        Assert.Equal(Range(1, 4), seen.ToArray());
        Persist(journal, Write("p", 11));
        Assert.Equal(Range(1, 11), Sequence(Replay(journal, "p")));
    }

    [StoreFact]
    public async Task Replay_of_many_pages_delivers_each_stream_whole_and_in_order()
    {
        await using var journal = Open();
        var pids = new[] { "a", "b", "c" };
        foreach (var pid in pids)
            Persist(journal, Write(pid, 1, 50));

        foreach (var pid in pids)
        {
            Assert.Equal(Range(1, 50), Sequence(Replay(journal, pid)));
            var replayed = new List<PersistentRepr>();
            Assert.Equal(31, await journal.ReplayMessagesAsync(pid, 7, 37, long.MaxValue, replayed.Add));
            Assert.Equal(Range(7, 37), Sequence(replayed));
            Assert.Equal(Range(2, 24), Sequence(Replay(journal, pid, from: 2, max: 23)));
        }
    }

    [StoreFact]
    public void Callback_failing_while_pages_are_read_ahead_stops_the_reader_and_leaves_the_journal_usable()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 60));
        var seen = new List<long>();

        Assert.Throws<InvalidOperationException>(() => journal.ReplayMessages("p", 1, long.MaxValue, long.MaxValue, r =>
        {
            seen.Add(r.SequenceNr);
            if (r.SequenceNr == 40)
                throw new InvalidOperationException("recovery failed");
        }));

        Assert.Equal(Range(1, 40), seen.ToArray());
        Persist(journal, Write("p", 61));
        Assert.Equal(Range(1, 61), Sequence(Replay(journal, "p")));
    }

    [StoreFact]
    public void Journal_can_be_called_from_inside_a_replay_callback()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 8));
        var highest = new List<long>();

        journal.ReplayMessages("p", 1, long.MaxValue, long.MaxValue, e =>
        {
            highest.Add(journal.ReadHighestSequenceNr("p"));
            Persist(journal, Write("copy", e.SequenceNr));
        });

        Assert.Equal(Enumerable.Repeat(8L, 8), highest);
        Assert.Equal(Range(1, 8), Sequence(Replay(journal, "copy")));
    }

    [StoreFact]
    public void Replay_returns_manifest_writer_and_timestamp_and_leaves_tags_to_queries()
    {
        using var journal = Open();
        var given = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).Ticks;
        Persist(journal, new AtomicWrite([Event("p", 1, "bind") with { Timestamp = given }, Event("p", 2)]));

        var events = Replay(journal, "p");

        Assert.Equal(given, events[0].Timestamp);
        Assert.Equal(Clock.Now.UtcTicks, events[1].Timestamp);
        Assert.All(events, e => Assert.Equal("test-va-inserted.v1", e.Manifest));
        Assert.All(events, e => Assert.Equal(journal.WriterUuid, e.WriterUuid));
        Assert.All(events, e => Assert.Empty(e.Tags));
    }

    [StoreFact]
    public void Empty_journal_replays_nothing_has_highest_zero_and_no_persistence_ids()
    {
        using var journal = Open();

        Assert.Empty(Replay(journal, "nobody"));
        Assert.Equal(0, journal.ReadHighestSequenceNr("nobody"));
        Assert.Empty(journal.Query.CurrentPersistenceIds());
        Assert.Empty(journal.Query.CurrentAllEvents());
        Assert.Empty(journal.Query.CurrentEventsByTag("any"));
        Assert.Empty(journal.Query.CurrentEventsByPersistenceId("nobody"));
        journal.DeleteMessagesTo("nobody", long.MaxValue);
        Assert.Equal(0, journal.ReadHighestSequenceNr("nobody"));
    }

    [StoreFact]
    public void Highest_sequence_number_is_the_last_written_at_or_above_the_hint()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 3), Write("q", 1, 9));

        Assert.Equal(3, journal.ReadHighestSequenceNr("p"));
        Assert.Equal(3, journal.ReadHighestSequenceNr("p", 2));
        Assert.Equal(3, journal.ReadHighestSequenceNr("p", 3));
        Assert.Equal(0, journal.ReadHighestSequenceNr("p", 4));
        Assert.Equal(9, journal.ReadHighestSequenceNr("q"));
    }

    [StoreFact]
    public void Reopened_journal_reads_everything_written_before()
    {
        var first = Open();
        Persist(first, Write("p", 1, 5));
        first.Dispose();

        using var second = Open();

        Assert.Equal(Range(1, 5), Sequence(Replay(second, "p")));
        Assert.Equal(5, second.ReadHighestSequenceNr("p"));
    }

    [StoreFact]
    public void Large_payloads_round_trip_intact()
    {
        using var journal = Open();
        var big = new Note(string.Concat(Enumerable.Range(0, 200_000).Select(i => (char)('a' + i % 26))) + "é漢");
        Persist(journal, new AtomicWrite([new PersistentRepr("big", 1, big), new PersistentRepr("big", 2, big with { Text = big.Text + "!" })]));

        var events = Replay(journal, "big");

        Assert.Equal(big, events[0].Payload);
        Assert.Equal(big.Text + "!", ((Note)events[1].Payload).Text);
    }

    [StoreFact]
    public async Task Async_twins_behave_as_the_synchronous_methods()
    {
        await using var journal = Open();
        var results = await journal.WriteMessagesAsync([Write("p", 1, 3), Write("p", 4, 2), Write("p", 2)]);
        Assert.Equal([WriteStatus.Persisted, WriteStatus.Persisted, WriteStatus.Rejected], results.Select(r => r.Status));

        var replayed = new List<PersistentRepr>();
        Assert.Equal(4, await journal.ReplayMessagesAsync("p", 2, long.MaxValue, long.MaxValue, replayed.Add));
        Assert.Equal(Range(2, 5), Sequence(replayed));
        Assert.Equal(5, await journal.ReadHighestSequenceNrAsync("p"));

        await journal.DeleteMessagesToAsync("p", 2);
        var queried = new List<EventEnvelope>();
        await foreach (var envelope in journal.Query.CurrentEventsByPersistenceIdAsync("p"))
            queried.Add(envelope);
        Assert.Equal(Range(3, 5), queried.Select(e => e.SequenceNr).ToArray());
        await foreach (var id in journal.Query.CurrentPersistenceIdsAsync())
            Assert.Equal("p", id);
    }

    [StoreFact]
    public void Disposed_journal_refuses_every_call()
    {
        var journal = Open();
        journal.Dispose();

        Assert.Throws<ObjectDisposedException>(() => journal.WriteMessages([Write("p", 1)]));
        Assert.Throws<ObjectDisposedException>(() => Replay(journal, "p"));
        Assert.Throws<ObjectDisposedException>(() => journal.ReadHighestSequenceNr("p"));
        Assert.Throws<ObjectDisposedException>(() => journal.Query.CurrentAllEvents().ToList());
        journal.Dispose();
    }
}
