namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>The persistent-actor contract on the in-memory journal and snapshot store.</summary>
public sealed class InMemoryPersistentActorSpec() : PersistentActorSpec(Hocon("main"))
{
    private static string Hocon(string name) => $"""
        # {name}: every in-memory store is private to its actor system
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    protected override string StoreHocon(string name) => Hocon(name);
}

/// <summary>The persistent-actor contract on SQLite files (journal and snapshots in one file per store).</summary>
public sealed class SqlitePersistentActorSpec : PersistentActorSpec
{
    private readonly TempDirectory _directory;

    public SqlitePersistentActorSpec() : this(new TempDirectory()) { }

    private SqlitePersistentActorSpec(TempDirectory directory) : base(Hocon(directory, "main")) => _directory = directory;

    private static string Hocon(TempDirectory directory, string name) =>
        $"akka.persistence.journal.sql.connection-string = \"Data Source={directory.File(name + ".db")}\"";

    protected override string StoreHocon(string name) => Hocon(_directory, name);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Dispose();
    }
}

/// <summary>The persistent-actor contract on PostgreSQL, one fresh schema per store (skipped, with the reason, without <c>GPUVMSIM_PG</c>).</summary>
[RequiresPostgres]
public sealed class PostgresPersistentActorSpec : PersistentActorSpec
{
    private readonly List<string> _schemas;

    public PostgresPersistentActorSpec() : this([]) { }

    private PostgresPersistentActorSpec(List<string> schemas) : base(Hocon(schemas, "main")) => _schemas = schemas;

    private static string Hocon(List<string> schemas, string name)
    {
        var schema = PostgresServer.NewSchemaName();
        schemas.Add(schema);
        return $$"""
            # {{name}}
            akka.persistence.journal.sql {
              connection-string = "{{PostgresServer.ConnectionString}}"
              provider-name = PostgreSQL.15
              default.schema-name = {{schema}}
            }
            akka.persistence.snapshot-store.sql.default.schema-name = {{schema}}
            """;
    }

    protected override string StoreHocon(string name) => Hocon(_schemas, name);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var schema in _schemas) PostgresServer.DropSchema(schema);
    }
}
