using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Npgsql;

namespace Gpuvmsim.Tests.Persistence.Postgres;

/// <summary>Reads the PostgreSQL schema back (<c>information_schema</c>, <c>pg_indexes</c>) and checks it against the spec.</summary>
public sealed class PostgresSchemaSpec : IDisposable
{
    private readonly string _schema = PostgresServer.NewSchemaName();
    private bool _created;

    private void CreateStores()
    {
        _created = true;
        using var journal = Journal.Open(PostgresServer.Journal(_schema), TestEvents.Registry(), new ManualClock(ManualClock.Epoch));
        using var snapshots = SnapshotStore.Open(PostgresServer.Snapshots(_schema), TestEvents.Registry());
        journal.WriteMessages([new AtomicWrite(new PersistentRepr("p", 1, new VaInserted(1, 2, 3)) { Tags = ["bind"] })])[0].EnsurePersisted();
        snapshots.Save(new SnapshotMetadata("p", 1), new CounterState(1, "x"));
    }

    [PostgresFact]
    public void Tables_columns_types_nullability_and_keys_match_the_plugin_layout()
    {
        CreateStores();

        foreach (var (table, expected) in ExpectedLayout.Columns)
        {
            var columns = Rows("SELECT column_name, is_nullable, data_type, character_maximum_length, column_default FROM information_schema.columns " +
                               "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                r => (Name: r.GetString(0), Nullable: r.GetString(1) == "YES", Type: r.GetString(2) + (r.IsDBNull(3) ? "" : $"({r.GetInt32(3)})"), Default: r.IsDBNull(4) ? "" : r.GetString(4)),
                _schema, table);
            Assert.Equal(expected.Select(c => c.Column), columns.Select(c => c.Name));
            Assert.Equal(expected.Select(c => c.Nullable), columns.Select(c => c.Nullable));
            if (table == "journal")
            {
                Assert.Equal(["bigint", "boolean", "character varying(255)", "bigint", "bigint", "bytea", "integer", "character varying(500)", "character varying(128)"], columns.Select(c => c.Type));
                Assert.StartsWith("nextval(", columns[0].Default);
            }
            var key = Rows("SELECT k.column_name FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k " +
                           "ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema " +
                           "WHERE c.table_schema = $1 AND c.table_name = $2 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
                r => r.GetString(0), _schema, table);
            Assert.Equal(ExpectedLayout.PrimaryKeys[table], key);
        }
        Assert.Equal(["bigint", "character varying(64)", "character varying(255)", "bigint"],
            Rows("SELECT data_type || coalesce('(' || character_maximum_length || ')', '') FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'tags' ORDER BY ordinal_position",
                r => r.GetString(0), _schema));
    }

    [PostgresFact]
    public void Footer_indexes_have_the_plugin_names_columns_and_uniqueness()
    {
        CreateStores();

        var indexes = Rows("SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%_pkey'",
            r => (Name: r.GetString(0), Table: r.GetString(1), Definition: r.GetString(2)), _schema);
        Assert.Equal(ExpectedLayout.Indexes.Keys.Order(), indexes.Select(i => i.Name).Order());
        foreach (var index in indexes)
        {
            var (table, columns, unique) = ExpectedLayout.Indexes[index.Name];
            Assert.Equal(table, index.Table);
            Assert.EndsWith($"({string.Join(", ", columns)})", index.Definition);
            Assert.Equal(unique, index.Definition.StartsWith("CREATE UNIQUE", StringComparison.Ordinal));
        }
        Assert.Equal(["UNIQUE"], Rows("SELECT constraint_type FROM information_schema.table_constraints WHERE table_schema = $1 AND constraint_name = 'journal_uq'", r => r.GetString(0), _schema));
    }

    [PostgresFact]
    public void Rows_hold_serializer_id_manifest_ticks_and_writer_as_the_plugin_stores_them()
    {
        CreateStores();

        var row = Rows($"SELECT deleted, identifier, manifest, created, writer_uuid, convert_from(message, 'UTF8') FROM \"{_schema}\".journal",
            r => (r.GetBoolean(0), r.GetInt32(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5))).Single();
        Assert.Equal((false, EventRegistry.SerializerId, "test-va-inserted.v1", ManualClock.Epoch.UtcTicks), (row.Item1, row.Item2, row.Item3, row.Item4));
        Assert.True(Guid.TryParse(row.Item5, out _));
        Assert.Equal("""{"va":1,"range":2,"bo":3}""", row.Item6);
        Assert.Equal([("bind", "p", 1L)], Rows($"SELECT tag, persistence_id, sequence_nr FROM \"{_schema}\".tags", r => (r.GetString(0), r.GetString(1), r.GetInt64(2))));
    }

    [PostgresFact]
    public async Task Hosts_initializing_one_schema_at_once_all_succeed_and_share_the_tables()
    {
        _created = true;
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Journal.Open(PostgresServer.Journal(_schema), TestEvents.Registry()))));

        var results = await Task.WhenAll(opened.Select((j, i) => j.WriteMessagesAsync([new AtomicWrite(new PersistentRepr("shared", 1, new VaInserted(i, 0, 0)))])));
        foreach (var journal in opened)
            journal.Dispose();

        Assert.Equal(1, results.Count(r => r[0].IsPersisted));
        Assert.Equal(5, results.Count(r => r[0].Error is SequenceNumberConflictException));
    }

    public void Dispose()
    {
        if (_created)
            PostgresServer.DropSchema(_schema);
    }

    private static List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> read, params string[] parameters)
    {
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }
}
