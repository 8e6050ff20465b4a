using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence.Postgres;

/// <summary>The snapshot-store contract on PostgreSQL, in a fresh schema per test.</summary>
[RequiresPostgres]
public sealed class PostgresSnapshotStoreSpec : SnapshotStoreSpec
{
    private readonly string _schema = PostgresServer.NewSchemaName();

    protected override SnapshotStoreSettings Settings => PostgresServer.Snapshots(_schema);

    public override void Dispose()
    {
        base.Dispose();
        PostgresServer.DropSchema(_schema);
    }
}
