using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;
using Npgsql;

namespace Gpuvmsim.Persistence.Postgres;

/// <summary>The snapshot table on PostgreSQL: one pooled connection and one autocommit statement per call.</summary>
internal sealed class PostgresSnapshotDriver : ISnapshotDriver
{
    private readonly NpgsqlDataSource _source;
    private readonly SnapshotSql _sql;

    private PostgresSnapshotDriver(NpgsqlDataSource source, SnapshotSql sql, string database)
    {
        _source = source;
        _sql = sql;
        Database = database;
    }

    public string Database { get; }

    public static PostgresSnapshotDriver Open(SnapshotStoreSettings settings)
    {
        var sql = new SnapshotSql(settings, SqlDialect.Postgres);
        var database = Pg.Describe(settings.ConnectionString, sql.Schema);
        var source = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            PostgresSchema.Prepare(source, database, settings.AutoInitialize, PostgresSchema.Snapshot(sql), [sql.Table]);
            return new PostgresSnapshotDriver(source, sql, database);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public ValueTask Save(bool async, string persistenceId, long sequenceNr, long created, byte[] payload, string manifest, CancellationToken ct) =>
        Execute(async, _sql.Upsert, [Pg.P(persistenceId), Pg.P(sequenceNr), Pg.P(created), Pg.P(payload), Pg.P(manifest), Pg.P(Serialization.EventRegistry.SerializerId)], ct);

    public async ValueTask<StoredSnapshot?> LoadLatest(bool async, string persistenceId, SnapshotRange range, CancellationToken ct)
    {
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            using var command = Pg.Command(connection, _sql.LoadLatest, Matching(persistenceId, range));
            var reader = await Pg.Reader(async, command, ct).ConfigureAwait(false);
            try
            {
                if (!await Pg.Read(async, reader, ct).ConfigureAwait(false))
                    return null;
                return new StoredSnapshot(
                    reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                    reader.IsDBNull(3) ? [] : reader.GetFieldValue<byte[]>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetInt32(5));
            }
            finally
            {
                await Pg.Close(async, reader).ConfigureAwait(false);
            }
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }

    public ValueTask DeleteOne(bool async, string persistenceId, long sequenceNr, CancellationToken ct) =>
        Execute(async, _sql.DeleteOne, [Pg.P(persistenceId), Pg.P(sequenceNr)], ct);

    public ValueTask DeleteMatching(bool async, string persistenceId, SnapshotRange range, CancellationToken ct) =>
        Execute(async, _sql.DeleteMatching, Matching(persistenceId, range), ct);

    public void Dispose() => _source.Dispose();

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static NpgsqlParameter[] Matching(string persistenceId, SnapshotRange r) =>
        [Pg.P(persistenceId), Pg.P(r.MaxSequenceNr), Pg.P(r.MinSequenceNr), Pg.P(r.MaxCreated), Pg.P(r.MinCreated)];

    private async ValueTask Execute(bool async, string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            using var command = Pg.Command(connection, sql, parameters);
            await Pg.Execute(async, command, ct).ConfigureAwait(false);
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }
}
