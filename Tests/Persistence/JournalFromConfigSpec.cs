using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>Stores opened from HOCON through <c>akka.persistence.journal.plugin</c> / <c>snapshot-store.plugin</c>.</summary>
public sealed class JournalFromConfigSpec : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void WriteAndReplay(IJournal journal)
    {
        journal.WriteMessages([new AtomicWrite([new PersistentRepr("p", 1, new Note("a")), new PersistentRepr("p", 2, new Note("b"))])])[0].EnsurePersisted();
        var replayed = new List<string>();
        journal.ReplayMessages("p", 1, long.MaxValue, long.MaxValue, e => replayed.Add(((Note)e.Payload).Text));
        Assert.Equal(["a", "b"], replayed);
    }

    [Fact]
    public void A_SQLite_journal_and_snapshot_store_open_from_HOCON_on_one_file()
    {
        var file = _directory.File("from-hocon.db");
        var config = ConfigurationFactory.ParseString($"akka.persistence.journal.sql.connection-string = \"Data Source={file}\"");

        using (var journal = Journal.Open(config, TestEvents.Registry()))
            WriteAndReplay(journal);
        using (var snapshots = SnapshotStore.Open(config, TestEvents.Registry()))
        {
            snapshots.Save(new SnapshotMetadata("p", 2), new CounterState(2, "x"));
            Assert.Equal(new CounterState(2, "x"), snapshots.Load("p", SnapshotSelectionCriteria.Latest)!.Snapshot);
        }
        using var reopened = Journal.Open(config, TestEvents.Registry());
        Assert.Equal(2, reopened.ReadHighestSequenceNr("p"));
    }

    [Fact]
    public void The_in_memory_plugin_opens_a_private_database()
    {
        var config = ConfigurationFactory.ParseString("akka.persistence.journal.plugin = akka.persistence.journal.inmem");

        using var journal = Journal.Open(config, TestEvents.Registry());
        WriteAndReplay(journal);
        using var other = Journal.Open(config, TestEvents.Registry());
        Assert.Equal(0, other.ReadHighestSequenceNr("p"));
    }

    [Fact]
    public void Custom_table_names_from_HOCON_are_used()
    {
        var file = _directory.File("custom.db");
        var config = ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql {
              connection-string = "Data Source={{file}}"
              default.journal.table-name = events
              default.tag.table-name = event_tags
            }
            """);

        using (var journal = Journal.Open(config, TestEvents.Registry()))
            WriteAndReplay(journal);
        using var connection = Sqlite.SqliteRaw.Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        Assert.Equal(2L, (long)command.ExecuteScalar()!);
    }

    [PostgresFact]
    public void A_PostgreSQL_journal_opens_from_HOCON()
    {
        var schema = PostgresServer.NewSchemaName();
        try
        {
            var config = ConfigurationFactory.ParseString($$"""
                akka.persistence.journal.sql {
                  connection-string = "{{PostgresServer.ConnectionString}}"
                  provider-name = PostgreSQL.15
                  default.schema-name = {{schema}}
                }
                akka.persistence.snapshot-store.sql.default.schema-name = {{schema}}
                """);

            using (var journal = Journal.Open(config, TestEvents.Registry()))
                WriteAndReplay(journal);
            using var snapshots = SnapshotStore.Open(config, TestEvents.Registry());
            snapshots.Save(new SnapshotMetadata("p", 2), new CounterState(2, "pg"));
            Assert.Equal(new CounterState(2, "pg"), snapshots.Load("p", SnapshotSelectionCriteria.Latest)!.Snapshot);
        }
        finally
        {
            PostgresServer.DropSchema(schema);
        }
    }
}
