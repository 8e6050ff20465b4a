using Gpuvmsim.Configuration;

namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// The snapshot store's settings, mirroring <c>akka.persistence.snapshot-store.sql</c> key by key (named in
/// each doc) with the plugin's defaults.
/// </summary>
public sealed record SnapshotStoreSettings
{
    /// <summary>The HOCON path these settings come from.</summary>
    public const string Path = "akka.persistence.snapshot-store.sql";

    /// <summary><c>connection-string</c>.</summary>
    public required string ConnectionString { get; init; }

    /// <summary><c>provider-name</c>, see <see cref="ProviderNames"/>.</summary>
    public string ProviderName { get; init; } = ProviderNames.SqliteMs;

    /// <summary><c>table-mapping</c>: only <c>default</c> is supported.</summary>
    public string TableMapping { get; init; } = "default";

    /// <summary><c>auto-initialize</c>: create the table and indexes on first use (idempotent).</summary>
    public bool AutoInitialize { get; init; } = true;

    /// <summary><c>sqlite-page-size</c> (gpuvmsim's, SQLite only): see <see cref="SqlitePageSizes"/>.</summary>
    public int SqlitePageSize { get; init; } = SqlitePageSizes.Default;

    /// <summary><c>default</c>: table and column names.</summary>
    public SnapshotTableMapping Default { get; init; } = new();

    /// <summary>Binds the block at <paramref name="path"/> of <paramref name="config"/> (over <c>reference.conf</c>), as
    /// <see cref="JournalSettings.FromConfig"/> does for the journal.</summary>
    /// <exception cref="ConfigException">A value has the wrong type (positioned).</exception>
    /// <exception cref="InvalidStoreSettingsException">A value is unacceptable (positioned).</exception>
    public static SnapshotStoreSettings FromConfig(Config config, string path = Path)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return StoreSettingsBinder.SnapshotStore(config.WithFallback(ConfigurationFactory.Default()).Resolve(), path);
    }

    /// <summary>Settings for a SQLite file (typically the journal's own file).</summary>
    public static SnapshotStoreSettings ForSqlite(string path) =>
        new() { ConnectionString = $"Data Source={path}", ProviderName = ProviderNames.SqliteMs };

    /// <summary>Settings for PostgreSQL in <paramref name="schemaName"/> (null: the connection's search path).</summary>
    public static SnapshotStoreSettings ForPostgres(string connectionString, string? schemaName = null) =>
        new()
        {
            ConnectionString = connectionString,
            ProviderName = ProviderNames.PostgreSql15,
            Default = new SnapshotTableMapping { SchemaName = schemaName },
        };
}

/// <summary><c>akka.persistence.snapshot-store.sql.default</c>.</summary>
public sealed record SnapshotTableMapping
{
    /// <summary><c>default.schema-name</c>: PostgreSQL schema (null: the search path); must stay null on SQLite.</summary>
    public string? SchemaName { get; init; }

    /// <summary><c>default.snapshot</c>.</summary>
    public SnapshotTableSettings Snapshot { get; init; } = new();
}

/// <summary><c>default.snapshot</c>.</summary>
public sealed record SnapshotTableSettings
{
    /// <summary><c>default.snapshot.table-name</c>.</summary>
    public string TableName { get; init; } = "snapshot";

    /// <summary><c>default.snapshot.columns</c>.</summary>
    public SnapshotColumnNames Columns { get; init; } = new();
}

/// <summary><c>default.snapshot.columns.*</c>.</summary>
public sealed record SnapshotColumnNames
{
    /// <summary><c>columns.persistence-id</c>.</summary>
    public string PersistenceId { get; init; } = "persistence_id";

    /// <summary><c>columns.sequence-number</c>.</summary>
    public string SequenceNumber { get; init; } = "sequence_number";

    /// <summary><c>columns.created</c>: UTC ticks.</summary>
    public string Created { get; init; } = "created";

    /// <summary><c>columns.snapshot</c>: the serialized payload.</summary>
    public string Snapshot { get; init; } = "snapshot";

    /// <summary><c>columns.manifest</c>.</summary>
    public string Manifest { get; init; } = "manifest";

    /// <summary><c>columns.serializerId</c> (the plugin's key is camel-cased).</summary>
    public string SerializerId { get; init; } = "serializer_id";
}
