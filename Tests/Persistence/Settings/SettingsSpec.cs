using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence.Settings;

public sealed class SettingsSpec
{
    private static readonly JournalSettings Sqlite = JournalSettings.ForSqlite("/nonexistent/never-opened.db");

    private static InvalidStoreSettingsException Refused(JournalSettings settings) =>
        Assert.Throws<InvalidStoreSettingsException>(() => Journal.Open(settings, TestEvents.Registry()));

    [Fact]
    public void Defaults_are_the_plugin_defaults()
    {
        var s = new JournalSettings { ConnectionString = "Data Source=j.db" };

        Assert.Equal(("SQLite.MS", "default", TagWriteMode.TagTable, true, 100, 1000), (s.ProviderName, s.TableMapping, s.TagWriteMode, s.AutoInitialize, s.BatchSize, s.ReplayBatchSize));
        Assert.Equal(("journal", "tags", null), (s.Default.Journal.TableName, s.Default.Tag.TableName, s.Default.SchemaName));
        Assert.Equal(("sequence_nr", "tag", "writer_uuid"), (s.Default.Tag.Columns.SequenceNr, s.Default.Tag.Columns.TagValue, s.Default.Journal.Columns.WriterUuid));
        Assert.Equal(("snapshot", "serializer_id"), (new SnapshotStoreSettings { ConnectionString = "x" }.Default.Snapshot.TableName, new SnapshotStoreSettings { ConnectionString = "x" }.Default.Snapshot.Columns.SerializerId));
    }

    [Fact]
    public void Unknown_provider_is_refused_listing_the_known_ones()
    {
        var e = Refused(Sqlite with { ProviderName = "Oracle.Managed" });

        Assert.Equal("akka.persistence.journal.sql.provider-name", e.Key);
        Assert.StartsWith("akka.persistence.journal.sql.provider-name: unknown provider 'Oracle.Managed'; known: SQLite.MS, SQLite, SQLite.Classic, PostgreSQL", e.Message);
        Assert.Contains("PostgreSQL.15", e.Message);
    }

    [Fact]
    public void Each_invalid_setting_is_refused_naming_its_hocon_key()
    {
        Assert.Equal("akka.persistence.journal.sql.batch-size", Refused(Sqlite with { BatchSize = 0 }).Key);
        Assert.Equal("akka.persistence.journal.sql.replay-batch-size", Refused(Sqlite with { ReplayBatchSize = -1 }).Key);
        Assert.Equal("akka.persistence.journal.sql.sqlite-page-size", Refused(Sqlite with { SqlitePageSize = 3000 }).Key);
        Assert.Equal("akka.persistence.journal.sql.sqlite-page-size", Refused(Sqlite with { SqlitePageSize = 131072 }).Key);
        Assert.Equal("akka.persistence.journal.sql.table-mapping", Refused(Sqlite with { TableMapping = "sqlite" }).Key);
        Assert.Equal("akka.persistence.journal.sql.tag-write-mode", Refused(Sqlite with { TagWriteMode = TagWriteMode.Csv }).Key);
        Assert.Equal("akka.persistence.journal.sql.connection-string", Refused(Sqlite with { ConnectionString = " " }).Key);
        Assert.Equal("akka.persistence.journal.sql.connection-string", Refused(Sqlite with { ConnectionString = "Data Source=x;Bogus Keyword=1" }).Key);
        Assert.Equal("akka.persistence.journal.sql.default.schema-name", Refused(Sqlite with { Default = new JournalTableMapping { SchemaName = "s" } }).Key);
        Assert.Equal("akka.persistence.journal.sql.default.journal.columns.manifest",
            Refused(Sqlite with { Default = new JournalTableMapping { Journal = new JournalTableSettings { Columns = new JournalColumnNames { Manifest = "bad\"name" } } } }).Key);
        var snapshots = Assert.Throws<InvalidStoreSettingsException>(() => SnapshotStore.Open(new SnapshotStoreSettings { ConnectionString = "Data Source=x", ProviderName = "MySql" }, TestEvents.Registry()));
        Assert.Equal("akka.persistence.snapshot-store.sql.provider-name", snapshots.Key);
    }

    [Fact]
    public void Custom_table_and_column_names_are_used_throughout()
    {
        using var directory = new TempDirectory();
        var settings = JournalSettings.ForSqlite(directory.File("custom.db")) with
        {
            Default = new JournalTableMapping
            {
                Journal = new JournalTableSettings { TableName = "events", Columns = new JournalColumnNames { Ordering = "offset", PersistenceId = "entity" } },
                Tag = new TagTableSettings { TableName = "event_tags", Columns = new TagColumnNames { TagValue = "label" } },
            },
        };
        using (var journal = Journal.Open(settings, TestEvents.Registry()))
        {
            journal.WriteMessages([new AtomicWrite(new PersistentRepr("p", 1, new Note("n")) { Tags = ["x"] })])[0].EnsurePersisted();
            Assert.Equal(["x"], Assert.Single(journal.Query.CurrentEventsByTag("x")).Tags);
        }
        using var connection = Gpuvmsim.Tests.Persistence.Sqlite.SqliteRaw.Open(directory.File("custom.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name)";
        Assert.Equal("event_tags_label_idx,event_tags_persistence_id_sequence_nr_idx,events_created_idx,events_sequence_number_idx,events_uq", command.ExecuteScalar());
    }

    [Fact]
    public void Atomic_write_refuses_mixed_ids_unordered_or_empty_batches()
    {
        Assert.Throws<ArgumentException>(() => new AtomicWrite([]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite([new PersistentRepr("a", 1, 1), new PersistentRepr("b", 2, 1)]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite([new PersistentRepr("a", 2, 1), new PersistentRepr("a", 2, 1)]));
        Assert.Throws<ArgumentException>(() => new AtomicWrite(new PersistentRepr("a", 0, 1)));
        Assert.Equal((1L, 3L), (new AtomicWrite([new PersistentRepr("a", 1, 1), new PersistentRepr("a", 3, 1)]) is var w ? (w.LowestSequenceNr, w.HighestSequenceNr) : default));
    }
}
