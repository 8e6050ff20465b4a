using Gpuvmsim.Persistence;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>The read journal's current queries (pages of 3 rows in every test).</summary>
public abstract partial class JournalSpec
{
    /// <summary>Writes a, b and c interleaved, tagging some events; returns the writes in order.</summary>
    private static AtomicWrite[] Interleaved() =>
    [
        new(Event("a", 1, "bind")), new(Event("b", 1)), new(Event("a", 2, "bind", "unmap")),
        new(Event("c", 1, "unmap")), new(Event("b", 2, "bind")), new(Event("a", 3)),
        new(Event("c", 2, "bind")), new(Event("b", 3, "unmap", "bind")), new(Event("a", 4, "bind")),
    ];

    [StoreFact]
    public void All_events_come_in_write_order_with_strictly_increasing_offsets()
    {
        using var journal = Open();
        Persist(journal, Interleaved());

        var all = journal.Query.CurrentAllEvents().ToList();

        Assert.Equal(Interleaved().Select(w => (w.PersistenceId, w.LowestSequenceNr)), all.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Offset < p.Second.Offset), "offsets must increase");
        Assert.All(all, e => Assert.Equal(new VaInserted(0x1000 * e.SequenceNr, 4096, (int)e.SequenceNr), e.Event));
        Assert.All(all, e => Assert.Equal(Clock.Now.UtcTicks, e.Timestamp));
    }

    [StoreFact]
    public void All_events_resume_strictly_after_the_given_offset()
    {
        using var journal = Open();
        Persist(journal, Interleaved());
        var all = journal.Query.CurrentAllEvents().ToList();

        var rest = journal.Query.CurrentAllEvents(all[3].Offset).ToList();

        Assert.Equal(all.Skip(4).Select(e => e.Offset), rest.Select(e => e.Offset));
        Assert.Empty(journal.Query.CurrentAllEvents(all[^1].Offset));
    }

    [StoreFact]
    public void Events_by_tag_return_tagged_events_after_the_offset_with_all_their_tags()
    {
        using var journal = Open();
        Persist(journal, Interleaved());

        var bind = journal.Query.CurrentEventsByTag("bind").ToList();
        var after = journal.Query.CurrentEventsByTag("bind", bind[1].Offset).ToList();

        Assert.Equal([("a", 1L), ("a", 2L), ("b", 2L), ("c", 2L), ("b", 3L), ("a", 4L)], bind.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.Equal(["bind", "unmap"], bind[1].Tags);
        Assert.Equal(["bind", "unmap"], bind[4].Tags);
        Assert.Equal(["bind"], bind[0].Tags);
        Assert.Equal(bind.Skip(2).Select(e => e.Offset), after.Select(e => e.Offset));
        Assert.Empty(journal.Query.CurrentEventsByTag("never"));
    }

    [StoreFact]
    public void Events_by_persistence_id_respect_the_range_and_carry_their_tags()
    {
        using var journal = Open();
        Persist(journal, Interleaved());

        var a = journal.Query.CurrentEventsByPersistenceId("a").ToList();
        var middle = journal.Query.CurrentEventsByPersistenceId("a", 2, 3).ToList();

        Assert.Equal(Range(1, 4), a.Select(e => e.SequenceNr).ToArray());
        Assert.Equal([["bind"], ["bind", "unmap"], [], ["bind"]], a.Select(e => e.Tags.ToArray()));
        Assert.Equal([2L, 3L], middle.Select(e => e.SequenceNr));
        var offsets = journal.Query.CurrentAllEvents().Where(e => e.PersistenceId == "a").Select(e => e.Offset);
        Assert.Equal(offsets, a.Select(e => e.Offset));
    }

    [StoreFact]
    public void Persistence_ids_are_listed_once_each_in_ordinal_order()
    {
        using var journal = Open();
        var ids = new[] { "vm-10", "bo-3", "vm-2", "Vm-1", "mmu", "bo-1", "vm-1" };
        Persist(journal, ids.SelectMany(id => new[] { Write(id, 1), Write(id, 2) }).ToArray());

        Assert.Equal(ids.Order(StringComparer.Ordinal), journal.Query.CurrentPersistenceIds());
    }

    [StoreFact]
    public void Current_query_stops_at_what_was_stored_when_it_started_and_lets_the_caller_write_meanwhile()
    {
        using var journal = Open();
        Persist(journal, Write("p", 1, 5));
        var seen = new List<long>();

        foreach (var envelope in journal.Query.CurrentAllEvents())
        {
            seen.Add(envelope.SequenceNr);
            Persist(journal, Write("p", 5 + seen.Count));
        }

        Assert.Equal(Range(1, 5), seen.ToArray());
        Assert.Equal(Range(1, 10), Sequence(Replay(journal, "p")));
        Assert.Equal(Range(1, 10), journal.Query.CurrentEventsByPersistenceId("p").Select(e => e.SequenceNr).ToArray());
    }
}
