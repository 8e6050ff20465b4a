using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>The snapshot table on one SQLite file; same opening, durability and gate as <see cref="SqliteJournalDriver"/>.</summary>
internal sealed class SqliteSnapshotDriver : ISnapshotDriver
{
    private readonly SqliteDatabase _db;
    private readonly SnapshotSql _sql;

    private SqliteSnapshotDriver(SqliteDatabase db, SnapshotSql sql)
    {
        _db = db;
        _sql = sql;
    }

    public string Database => _db.Path;

    public static SqliteSnapshotDriver Open(SnapshotStoreSettings settings)
    {
        var sql = new SnapshotSql(settings, SqlDialect.Sqlite);
        var db = SqliteDatabase.Open(settings.ConnectionString, settings.AutoInitialize, settings.SqlitePageSize, SqliteSchema.Snapshot(sql), [sql.TableName]);
        return new SqliteSnapshotDriver(db, sql);
    }

    public async ValueTask Save(bool async, string persistenceId, long sequenceNr, long created, byte[] payload, string manifest, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Run(() => _db.Prepare(_sql.Upsert).Bind(1, persistenceId).Bind(2, sequenceNr).Bind(3, created).Bind(4, payload)
            .Bind(5, manifest).Bind(6, Serialization.EventRegistry.SerializerId).Execute());
    }

    public async ValueTask<StoredSnapshot?> LoadLatest(bool async, string persistenceId, SnapshotRange range, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        var statement = Bind(_db.Prepare(_sql.LoadLatest), persistenceId, range);
        try
        {
            return statement.Step()
                ? new StoredSnapshot(statement.Text(0)!, statement.Int64(1), statement.Int64(2), statement.Blob(3).ToArray(), statement.Text(4), statement.NullableInt32(5))
                : null;
        }
        catch (Exception e)
        {
            throw _db.Translate(e);
        }
        finally
        {
            statement.Reset();
        }
    }

    public async ValueTask DeleteOne(bool async, string persistenceId, long sequenceNr, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Run(() => _db.Prepare(_sql.DeleteOne).Bind(1, persistenceId).Bind(2, sequenceNr).Execute());
    }

    public async ValueTask DeleteMatching(bool async, string persistenceId, SnapshotRange range, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Run(() => Bind(_db.Prepare(_sql.DeleteMatching), persistenceId, range).Execute());
    }

    public void Dispose() => _db.Dispose();

    public ValueTask DisposeAsync()
    {
        _db.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqliteStatement Bind(SqliteStatement s, string persistenceId, SnapshotRange r) =>
        s.Bind(1, persistenceId).Bind(2, r.MaxSequenceNr).Bind(3, r.MinSequenceNr).Bind(4, r.MaxCreated).Bind(5, r.MinCreated);

    /// <summary>Runs one autocommit statement (its own transaction), naming the file when it turns out to be damaged.</summary>
    private void Run(Action statement)
    {
        try
        {
            statement();
        }
        catch (Exception e)
        {
            throw _db.Translate(e);
        }
    }
}
