using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>The <c>default.journal</c> / <c>default.tag</c> settings are honoured by every statement.</summary>
public abstract partial class JournalSpec
{
    [StoreFact]
    public void Custom_table_and_column_names_carry_every_operation()
    {
        var custom = Settings with
        {
            Default = Settings.Default with
            {
                Journal = new JournalTableSettings
                {
                    TableName = "bind_events",
                    Columns = new JournalColumnNames { Ordering = "position", PersistenceId = "entity", SequenceNumber = "seq", Deleted = "gone", Message = "body" },
                },
                Tag = new TagTableSettings { TableName = "bind_tags", Columns = new TagColumnNames { TagValue = "label", SequenceNr = "seq" } },
            },
        };
        using var journal = Open(settings: custom);
        Persist(journal, new AtomicWrite([Event("p", 1, "x"), Event("p", 2), Event("p", 3, "x")]), Write("q", 1));

        journal.DeleteMessagesTo("p", 1);

        Assert.Equal([2L, 3L], Sequence(Replay(journal, "p")));
        Assert.Equal(3, journal.ReadHighestSequenceNr("p"));
        Assert.Equal([("p", 3L)], journal.Query.CurrentEventsByTag("x").Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.Equal(["p", "q"], journal.Query.CurrentPersistenceIds());
        Assert.Equal(3, journal.Query.CurrentAllEvents().Count());
        Assert.Equal(WriteStatus.Rejected, journal.WriteMessages([Write("q", 1)])[0].Status);
    }

    [StoreFact]
    public void Journal_without_the_writer_uuid_column_reads_back_an_empty_writer()
    {
        var settings = Settings with { Default = Settings.Default with { Journal = new JournalTableSettings { UseWriterUuidColumn = false, TableName = "journal_nw" } } };
        using var journal = Open(settings: settings);
        Persist(journal, Write("p", 1, 2));

        var events = Replay(journal, "p");

        Assert.Equal(Range(1, 2), Sequence(events));
        Assert.All(events, e => Assert.Equal("", e.WriterUuid));
        Assert.Equal(Range(1, 2), journal.Query.CurrentEventsByPersistenceId("p").Select(e => e.SequenceNr).ToArray());
    }
}
