using Gpuvmsim.Persistence.Settings;
using Npgsql;

namespace Gpuvmsim.Tests.Persistence.Postgres;

/// <summary>The journal contract on PostgreSQL, in a fresh schema per test (skipped, with the reason, without <c>GPUVMSIM_PG</c>).</summary>
[RequiresPostgres]
public sealed class PostgresJournalSpec : JournalSpec
{
    private readonly string _schema = PostgresServer.NewSchemaName();

    protected override JournalSettings StoreSettings => PostgresServer.Journal(_schema);

    protected override IReadOnlyList<(long SequenceNr, bool Deleted, string WriterUuid)> RawRows(string pid)
    {
        var rows = new List<(long, bool, string)>();
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT sequence_number, deleted, writer_uuid FROM \"{_schema}\".journal WHERE persistence_id = $1 ORDER BY sequence_number", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pid });
        using var reader = command.ExecuteReader();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetBoolean(1), reader.GetString(2)));
        return rows;
    }

    protected override long RawTagRows(string pid)
    {
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{_schema}\".tags WHERE persistence_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pid });
        return (long)command.ExecuteScalar()!;
    }

    public override void Dispose()
    {
        base.Dispose();
        PostgresServer.DropSchema(_schema);
    }
}
