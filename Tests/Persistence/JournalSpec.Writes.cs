using Gpuvmsim.Persistence;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>Atomic writes, rejections and sequence-number conflicts.</summary>
public abstract partial class JournalSpec
{
    [StoreFact]
    public void Atomic_write_with_one_unserializable_event_stores_nothing_of_it_and_only_it_is_rejected()
    {
        using var journal = Open();
        var poisoned = new AtomicWrite([Event("p", 1), new PersistentRepr("p", 2, new Unregistered(7)), Event("p", 3)]);

        var results = journal.WriteMessages([Write("q", 1), poisoned, Write("q", 2)]);

        Assert.Equal([WriteStatus.Persisted, WriteStatus.Rejected, WriteStatus.Persisted], results.Select(r => r.Status));
        var error = Assert.IsType<EventNotSerializableException>(results[1].Error);
        Assert.Contains(typeof(Unregistered).FullName!, error.Message);
        Assert.Empty(RawRows("p"));
        Assert.Equal(Range(1, 2), Sequence(Replay(journal, "q")));
    }

    [StoreFact]
    public void Taken_sequence_number_rejects_the_whole_write_naming_pid_and_sequence()
    {
        using var journal = Open();
        Persist(journal, Write("vm-1", 1, 3));

        var result = journal.WriteMessages([Write("vm-1", 3, 2)])[0];

        Assert.Equal(WriteStatus.Rejected, result.Status);
        var conflict = Assert.IsType<SequenceNumberConflictException>(result.Error);
        Assert.Equal("vm-1", conflict.PersistenceId);
        Assert.Equal(3, conflict.SequenceNr);
        Assert.Contains("sequence number 3 of pid 'vm-1'", conflict.Message);
        Assert.Equal(Range(1, 3), RawRows("vm-1").Select(r => r.SequenceNr).ToArray());
        Assert.Throws<SequenceNumberConflictException>(result.EnsurePersisted);
    }

    [StoreFact]
    public void Conflict_inside_a_batch_rejects_only_the_conflicting_write()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1));

        var results = journal.WriteMessages([Write("q", 1), Write("p", 1, 2), Write("q", 2), Write("r", 1, 2)]);

        Assert.Equal([WriteStatus.Persisted, WriteStatus.Rejected, WriteStatus.Persisted, WriteStatus.Persisted], results.Select(r => r.Status));
        Assert.Equal([1L], RawRows("p").Select(r => r.SequenceNr));
        Assert.Equal(Range(1, 2), Sequence(Replay(journal, "q")));
        Assert.Equal(Range(1, 2), Sequence(Replay(journal, "r")));
    }

    [StoreFact]
    public void Duplicate_sequence_numbers_within_one_call_keep_the_first_write()
    {
        using var journal = Open();

        var results = journal.WriteMessages([Write("p", 1, 2), Write("p", 2, 2)]);

        Assert.Equal([WriteStatus.Persisted, WriteStatus.Rejected], results.Select(r => r.Status));
        Assert.Equal(2, Assert.IsType<SequenceNumberConflictException>(results[1].Error).SequenceNr);
        Assert.Equal(Range(1, 2), Sequence(Replay(journal, "p")));
    }

    [StoreFact]
    public void Two_writers_of_one_persistence_id_never_interleave()
    {
        using var first = Open();
        using var second = Open();
        Persist(first, Write("vm", 1, 3));

        var rejected = second.WriteMessages([Write("vm", 2, 4)])[0];
        Persist(second, Write("vm", 4, 2));
        var late = first.WriteMessages([Write("vm", 5, 2)])[0];

        Assert.Equal(WriteStatus.Rejected, rejected.Status);
        Assert.Equal(2, Assert.IsType<SequenceNumberConflictException>(rejected.Error).SequenceNr);
        Assert.Equal(WriteStatus.Rejected, late.Status);
        var rows = RawRows("vm");
        Assert.Equal(Range(1, 5), rows.Select(r => r.SequenceNr).ToArray());
        Assert.Equal([first.WriterUuid, first.WriterUuid, first.WriterUuid, second.WriterUuid, second.WriterUuid], rows.Select(r => r.WriterUuid));
    }

    [StoreFact]
    public void Write_larger_than_batch_size_is_never_split()
    {
        using var journal = Open(settings: Settings with { BatchSize = 2 });
        Persist(journal, Write("p", 7));

        var results = journal.WriteMessages([Write("p", 1, 7), Write("q", 1, 5)]);

        Assert.Equal(WriteStatus.Rejected, results[0].Status);
        Assert.Equal(WriteStatus.Persisted, results[1].Status);
        Assert.Equal([7L], RawRows("p").Select(r => r.SequenceNr));
        Assert.Equal(Range(1, 5), Sequence(Replay(journal, "q")));
    }

    [StoreFact]
    public void Many_writes_are_batched_and_all_acknowledged_in_order()
    {
        using var journal = Open();
        var writes = Enumerable.Range(1, 50).Select(i => Write($"p{i % 3}", i / 3 * 2 + 1, 2)).ToArray();

        var results = journal.WriteMessages(writes);

        Assert.All(results, r => Assert.True(r.IsPersisted, r.Error?.Message));
        Assert.Equal(100, journal.Query.CurrentAllEvents().Count());
    }

    [StoreFact]
    public void Too_long_persistence_id_or_tag_rejects_the_write()
    {
        using var journal = Open();
        var longPid = new string('p', 256);

        var results = journal.WriteMessages([Write(longPid, 1), new AtomicWrite(Event("p", 1, new string('t', 65))), Write("ok", 1)]);

        Assert.Equal([WriteStatus.Rejected, WriteStatus.Rejected, WriteStatus.Persisted], results.Select(r => r.Status));
        Assert.Contains("255", results[0].Error!.Message);
        Assert.Contains("64", results[1].Error!.Message);
    }

    [StoreFact]
    public async Task Failed_call_fails_every_write_from_the_failure_on_and_stores_nothing_of_them()
    {
        await using var journal = Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var results = await journal.WriteMessagesAsync([Write("p", 1), new AtomicWrite(new PersistentRepr("p", 2, new Unregistered(1))), Write("p", 3)], cancelled.Token);

        Assert.Equal([WriteStatus.Failed, WriteStatus.Rejected, WriteStatus.Failed], results.Select(r => r.Status));
        Assert.IsAssignableFrom<OperationCanceledException>(results[0].Error);
        Assert.Empty(RawRows("p"));
    }
}
