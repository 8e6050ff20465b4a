using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence.Sqlite;

/// <summary>The snapshot-store contract on a SQLite file in a fresh temp directory.</summary>
public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly TempDirectory _directory = new();

    protected override SnapshotStoreSettings Settings => SnapshotStoreSettings.ForSqlite(_directory.File("snapshots.db"));

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}
