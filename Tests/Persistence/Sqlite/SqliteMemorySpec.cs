using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence.Sqlite;

/// <summary>An in-memory SQLite journal (nothing on disk), e.g. for simulation runs that need no record.</summary>
public sealed class SqliteMemorySpec
{
    [Fact]
    public void In_memory_journal_keeps_events_for_its_lifetime()
    {
        using var journal = Journal.Open(new JournalSettings { ConnectionString = "Data Source=:memory:" }, TestEvents.Registry());

        journal.WriteMessages([new AtomicWrite([new PersistentRepr("p", 1, new Note("a")) { Tags = ["t"] }, new PersistentRepr("p", 2, new Note("b"))])])[0].EnsurePersisted();

        Assert.Equal(2, journal.ReadHighestSequenceNr("p"));
        Assert.Equal(["a", "b"], journal.Query.CurrentEventsByPersistenceId("p").Select(e => ((Note)e.Event).Text));
        Assert.Equal([1L], journal.Query.CurrentEventsByTag("t").Select(e => e.SequenceNr));
    }
}
