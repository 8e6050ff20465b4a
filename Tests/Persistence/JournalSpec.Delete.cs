using Gpuvmsim.Persistence;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>DeleteMessagesTo with Akka.Persistence.Sql's semantics.</summary>
public abstract partial class JournalSpec
{
    [StoreFact]
    public void Delete_keeps_only_the_highest_marked_row_and_removes_the_tags_of_deleted_events()
    {
        using var journal = Open();
        Persist(journal, new AtomicWrite(Enumerable.Range(1, 6).Select(i => Event("p", i, "t")).ToArray()), Write("other", 1));

        journal.DeleteMessagesTo("p", 4);

        Assert.Equal([(4L, true), (5L, false), (6L, false)], RawRows("p").Select(r => (r.SequenceNr, r.Deleted)));
        Assert.Equal(2, RawTagRows("p"));
        Assert.Equal([5L, 6L], Sequence(Replay(journal, "p")));
        Assert.Equal([1L], Sequence(Replay(journal, "other")));
    }

    [StoreFact]
    public void Deleting_everything_keeps_the_highest_sequence_number()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 5));

        journal.DeleteMessagesTo("p", long.MaxValue);

        Assert.Empty(Replay(journal, "p"));
        Assert.Equal(5, journal.ReadHighestSequenceNr("p"));
        Assert.Equal([(5L, true)], RawRows("p").Select(r => (r.SequenceNr, r.Deleted)));
        Persist(journal, Write("p", 6));
        Assert.Equal([6L], Sequence(Replay(journal, "p")));
    }

    [StoreFact]
    public void Deleted_events_are_neither_replayed_nor_queried()
    {
        using var journal = Open();
        Persist(journal, new AtomicWrite([Event("p", 1, "x"), Event("p", 2, "x"), Event("p", 3, "x")]));

        journal.DeleteMessagesTo("p", 2);

        Assert.Equal([3L], Sequence(Replay(journal, "p")));
        Assert.Equal([3L], journal.Query.CurrentEventsByPersistenceId("p").Select(e => e.SequenceNr));
        Assert.Equal([3L], journal.Query.CurrentAllEvents().Select(e => e.SequenceNr));
        Assert.Equal([3L], journal.Query.CurrentEventsByTag("x").Select(e => e.SequenceNr));
        Assert.Equal(["p"], journal.Query.CurrentPersistenceIds());
    }

    [StoreFact]
    public void Successive_deletes_move_the_surviving_marked_row_forward()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 6));

        journal.DeleteMessagesTo("p", 2);
        journal.DeleteMessagesTo("p", 4);
        journal.DeleteMessagesTo("p", 3);

        Assert.Equal([(4L, true), (5L, false), (6L, false)], RawRows("p").Select(r => (r.SequenceNr, r.Deleted)));
        Assert.Equal(6, journal.ReadHighestSequenceNr("p"));
    }

    [StoreFact]
    public void Delete_up_to_zero_or_an_unknown_pid_changes_nothing()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 2));

        journal.DeleteMessagesTo("p", 0);
        journal.DeleteMessagesTo("nobody", 10);

        Assert.Equal([(1L, false), (2L, false)], RawRows("p").Select(r => (r.SequenceNr, r.Deleted)));
    }
}
