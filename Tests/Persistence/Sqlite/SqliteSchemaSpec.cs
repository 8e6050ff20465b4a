using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;
using Microsoft.Data.Sqlite;

namespace Gpuvmsim.Tests.Persistence.Sqlite;

/// <summary>Reads the SQLite schema back (<c>sqlite_master</c>, <c>PRAGMA table_info/index_list/index_info</c>) and checks it against the spec.</summary>
public sealed class SqliteSchemaSpec : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("layout.db");

    private void CreateStores()
    {
        using var journal = Journal.OpenSqlite(Db, TestEvents.Registry(), new ManualClock(ManualClock.Epoch));
        using var snapshots = SnapshotStore.Open(SnapshotStoreSettings.ForSqlite(Db), TestEvents.Registry());
        journal.WriteMessages([new AtomicWrite(new PersistentRepr("p", 1, new VaInserted(1, 2, 3)) { Tags = ["bind"] })])[0].EnsurePersisted();
        snapshots.Save(new SnapshotMetadata("p", 1), new CounterState(1, "x"));
    }

    [Fact]
    public void Tables_columns_nullability_and_keys_match_the_plugin_layout()
    {
        CreateStores();
        using var connection = SqliteRaw.Open(Db, SqliteOpenMode.ReadOnly);

        foreach (var (table, expected) in ExpectedLayout.Columns)
        {
            var columns = Rows(connection, $"PRAGMA table_info([{table}])", r => (Name: r.GetString(1), Type: r.GetString(2), NotNull: r.GetInt64(3) != 0, Pk: r.GetInt64(5)));
            Assert.Equal(expected.Select(c => c.Column), columns.Select(c => c.Name));
            Assert.Equal(expected.Select(c => c.Nullable), columns.Select(c => !c.NotNull));
            Assert.Equal(ExpectedLayout.PrimaryKeys[table], columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name));
        }
        var journalTypes = Rows(connection, "PRAGMA table_info(journal)", r => r.GetString(2));
        Assert.Equal(["INTEGER", "Boolean", "NVarChar(255)", "BigInt", "BigInt", "VarBinary", "INTEGER", "NVarChar(500)", "NVarChar(128)"], journalTypes);
        Assert.Contains("AUTOINCREMENT", Scalar<string>(connection, "SELECT sql FROM sqlite_master WHERE name = 'journal'"));
        Assert.Equal(["INTEGER", "NVarChar(64)", "NVarChar(255)", "INTEGER"], Rows(connection, "PRAGMA table_info(tags)", r => r.GetString(2)));
    }

    [Fact]
    public void A_file_the_stores_create_gets_the_configured_page_size_and_an_existing_file_keeps_its_own()
    {
        CreateStores();
        var other = _directory.File("small-pages.db");
        using (Journal.Open(JournalSettings.ForSqlite(other) with { SqlitePageSize = 4096 }, TestEvents.Registry()))
        {
        }
        // Reopened with another setting, and shared by a snapshot store with a third one: the file decides.
        using (var journal = Journal.Open(JournalSettings.ForSqlite(other) with { SqlitePageSize = 16384 }, TestEvents.Registry()))
        using (SnapshotStore.Open(SnapshotStoreSettings.ForSqlite(other) with { SqlitePageSize = 8192 }, TestEvents.Registry()))
            journal.WriteMessages([new AtomicWrite(new PersistentRepr("p", 1, new VaInserted(1, 2, 3)))])[0].EnsurePersisted();

        using var created = SqliteRaw.Open(Db, SqliteOpenMode.ReadOnly);
        using var existing = SqliteRaw.Open(other, SqliteOpenMode.ReadOnly);
        Assert.Equal(SqlitePageSizes.Default, Scalar<long>(created, "PRAGMA page_size"));
        Assert.Equal(4096, Scalar<long>(existing, "PRAGMA page_size"));
        Assert.Equal("wal", Scalar<string>(existing, "PRAGMA journal_mode"));
    }

    [Fact]
    public void Footer_indexes_have_the_plugin_names_columns_and_uniqueness()
    {
        CreateStores();
        using var connection = SqliteRaw.Open(Db, SqliteOpenMode.ReadOnly);

        var named = Rows(connection, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal(ExpectedLayout.Indexes.Select(i => (i.Key, i.Value.Table)).Order(), named.Order());
        foreach (var (name, (table, columns, unique)) in ExpectedLayout.Indexes)
        {
            Assert.Equal(columns, Rows(connection, $"PRAGMA index_info([{name}])", r => r.GetString(2)));
            var listed = Rows(connection, $"PRAGMA index_list([{table}])", r => (Name: r.GetString(1), Unique: r.GetInt64(2) != 0)).Single(i => i.Name == name);
            Assert.Equal(unique, listed.Unique);
        }
    }

    [Fact]
    public void Rows_hold_serializer_id_manifest_ticks_and_writer_as_the_plugin_stores_them()
    {
        CreateStores();
        using var connection = SqliteRaw.Open(Db, SqliteOpenMode.ReadOnly);

        var row = Rows(connection, "SELECT deleted, identifier, manifest, created, writer_uuid, message, ordering FROM journal",
            r => (Deleted: r.GetInt64(0), Id: r.GetInt64(1), Manifest: r.GetString(2), Created: r.GetInt64(3), Writer: r.GetString(4), Json: r.GetString(5), Ordering: r.GetInt64(6))).Single();
        Assert.Equal((0L, (long)EventRegistry.SerializerId, "test-va-inserted.v1", ManualClock.Epoch.UtcTicks), (row.Deleted, row.Id, row.Manifest, row.Created));
        Assert.True(Guid.TryParse(row.Writer, out _));
        Assert.Equal("""{"va":1,"range":2,"bo":3}""", row.Json);
        Assert.Equal((row.Ordering, "bind", "p", 1L), Rows(connection, "SELECT ordering_id, tag, persistence_id, sequence_nr FROM tags",
            r => (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3))).Single());
        Assert.Equal(((long)EventRegistry.SerializerId, "test-counter-state.v1"), Rows(connection, "SELECT serializer_id, manifest FROM snapshot", r => (r.GetInt64(0), r.GetString(1))).Single());
        Assert.Equal("wal", Scalar<string>(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public void Initialization_is_idempotent_and_keeps_existing_rows()
    {
        CreateStores();
        CreateStoresAgain();

        using var connection = SqliteRaw.Open(Db, SqliteOpenMode.ReadOnly);
        Assert.Equal(1L, Scalar<long>(connection, "SELECT count(*) FROM journal"));
        Assert.Equal(3L, Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('journal', 'tags', 'snapshot')"));
    }

    [Fact]
    public void Without_auto_initialize_a_missing_file_or_table_is_a_clear_error_and_nothing_is_created()
    {
        var settings = JournalSettings.ForSqlite(Db) with { AutoInitialize = false };

        var missing = Assert.Throws<UnusableDatabaseException>(() => Journal.Open(settings, TestEvents.Registry()));
        Assert.Contains(Db, missing.Message);
        Assert.False(File.Exists(Db));

        using (SnapshotStore.Open(SnapshotStoreSettings.ForSqlite(Db), TestEvents.Registry()))
        {
        }
        var tables = Assert.Throws<UnusableDatabaseException>(() => Journal.Open(settings, TestEvents.Registry()));
        Assert.Contains("journal, tags", tables.Message);
    }

    public void Dispose() => _directory.Dispose();

    private void CreateStoresAgain()
    {
        using var journal = Journal.OpenSqlite(Db, TestEvents.Registry());
        using var snapshots = SnapshotStore.Open(SnapshotStoreSettings.ForSqlite(Db), TestEvents.Registry());
        Assert.Equal(1, journal.ReadHighestSequenceNr("p"));
    }

    private static List<T> Rows<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
