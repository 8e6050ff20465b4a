using Gpuvmsim.Configuration;

namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// The journal's settings. Each property mirrors one key of Akka.Persistence.Sql's
/// <c>akka.persistence.journal.sql</c> block (named in its doc), with the plugin's default, so that a
/// <c>FromConfig</c> mapping from HOCON is a one-to-one copy. Keys of the plugin that have no effect here
/// (dispatchers, Akka.Streams buffer sizes, parallelism, isolation levels, delete-compatibility-mode) are not
/// mirrored.
/// </summary>
public sealed record JournalSettings
{
    /// <summary>The HOCON path these settings come from.</summary>
    public const string Path = "akka.persistence.journal.sql";

    /// <summary><c>connection-string</c>: a Microsoft.Data.Sqlite (<c>Data Source=journal.db</c>) or Npgsql connection string.</summary>
    public required string ConnectionString { get; init; }

    /// <summary><c>provider-name</c>: picks the store, see <see cref="ProviderNames"/>.</summary>
    public string ProviderName { get; init; } = ProviderNames.SqliteMs;

    /// <summary><c>table-mapping</c>: only <c>default</c> (the Akka.Persistence.Sql layout) is supported.</summary>
    public string TableMapping { get; init; } = "default";

    /// <summary><c>tag-write-mode</c>: only <see cref="Settings.TagWriteMode.TagTable"/> is supported.</summary>
    public TagWriteMode TagWriteMode { get; init; } = TagWriteMode.TagTable;

    /// <summary><c>auto-initialize</c>: create the tables and indexes on first use (idempotent). Never applied to a damaged file.</summary>
    public bool AutoInitialize { get; init; } = true;

    /// <summary><c>batch-size</c>: rows per write transaction; an atomic write is never split across two.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary><c>replay-batch-size</c>: rows per page read by replay and the queries.</summary>
    public int ReplayBatchSize { get; init; } = 1000;

    /// <summary><c>sqlite-page-size</c> (gpuvmsim's, SQLite only): see <see cref="SqlitePageSizes"/>.</summary>
    public int SqlitePageSize { get; init; } = SqlitePageSizes.Default;

    /// <summary><c>default</c>: table and column names of the default mapping.</summary>
    public JournalTableMapping Default { get; init; } = new();

    /// <summary>
    /// Binds the block at <paramref name="path"/> of <paramref name="config"/> (over <c>reference.conf</c>) key by key,
    /// and validates the result. Open the journal with <see cref="Journal.Open(JournalSettings, Serialization.EventRegistry, TimeProvider?)"/>,
    /// or let <see cref="Journal.Open(Config, Serialization.EventRegistry, TimeProvider?)"/> follow
    /// <c>akka.persistence.journal.plugin</c>.
    /// </summary>
    /// <param name="path">The plugin block; a block other than the default keeps the defaults for the keys it does not set.</param>
    /// <exception cref="ConfigException">A value has the wrong type or an unknown enum name (positioned).</exception>
    /// <exception cref="InvalidStoreSettingsException">A value is unacceptable; <see cref="InvalidStoreSettingsException.Origin"/> says where it was written.</exception>
    public static JournalSettings FromConfig(Config config, string path = Path)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return StoreSettingsBinder.Journal(config.WithFallback(ConfigurationFactory.Default()).Resolve(), path);
    }

    /// <summary>Settings for a SQLite journal file, everything else at its default.</summary>
    public static JournalSettings ForSqlite(string path) =>
        new() { ConnectionString = $"Data Source={path}", ProviderName = ProviderNames.SqliteMs };

    /// <summary>Settings for a PostgreSQL journal in <paramref name="schemaName"/> (null: the connection's search path).</summary>
    public static JournalSettings ForPostgres(string connectionString, string? schemaName = null) =>
        new()
        {
            ConnectionString = connectionString,
            ProviderName = ProviderNames.PostgreSql15,
            Default = new JournalTableMapping { SchemaName = schemaName },
        };
}

/// <summary>How tags are stored (<c>tag-write-mode</c>).</summary>
public enum TagWriteMode
{
    /// <summary><c>Csv</c>: a <c>;tag1;tag2;</c> column of the journal table (not supported here).</summary>
    Csv,

    /// <summary><c>TagTable</c>: one row per tag in the tag table.</summary>
    TagTable,

    /// <summary><c>Both</c>: both of the above (not supported here).</summary>
    Both,
}

/// <summary><c>akka.persistence.journal.sql.default</c>: where the journal's tables live.</summary>
public sealed record JournalTableMapping
{
    /// <summary><c>default.schema-name</c>: PostgreSQL schema of the tables (null: the search path); must stay null on SQLite.</summary>
    public string? SchemaName { get; init; }

    /// <summary><c>default.journal</c>: the event table.</summary>
    public JournalTableSettings Journal { get; init; } = new();

    /// <summary><c>default.tag</c>: the tag table.</summary>
    public TagTableSettings Tag { get; init; } = new();
}

/// <summary><c>default.journal</c>.</summary>
public sealed record JournalTableSettings
{
    /// <summary><c>default.journal.table-name</c>.</summary>
    public string TableName { get; init; } = "journal";

    /// <summary><c>default.journal.use-writer-uuid-column</c>: store the writer's id in <see cref="JournalColumnNames.WriterUuid"/>.</summary>
    public bool UseWriterUuidColumn { get; init; } = true;

    /// <summary><c>default.journal.columns</c>.</summary>
    public JournalColumnNames Columns { get; init; } = new();
}

/// <summary><c>default.journal.columns.*</c>: column names of the event table.</summary>
public sealed record JournalColumnNames
{
    /// <summary><c>columns.ordering</c>: global order, identity primary key.</summary>
    public string Ordering { get; init; } = "ordering";

    /// <summary><c>columns.deleted</c>: logical-delete flag.</summary>
    public string Deleted { get; init; } = "deleted";

    /// <summary><c>columns.persistence-id</c>.</summary>
    public string PersistenceId { get; init; } = "persistence_id";

    /// <summary><c>columns.sequence-number</c>.</summary>
    public string SequenceNumber { get; init; } = "sequence_number";

    /// <summary><c>columns.created</c>: UTC ticks.</summary>
    public string Created { get; init; } = "created";

    /// <summary><c>columns.tags</c>: the CSV tag column of the Csv/Both modes (unused in TagTable mode).</summary>
    public string Tags { get; init; } = "tags";

    /// <summary><c>columns.message</c>: the serialized payload.</summary>
    public string Message { get; init; } = "message";

    /// <summary><c>columns.identifier</c>: the serializer id.</summary>
    public string Identifier { get; init; } = "identifier";

    /// <summary><c>columns.manifest</c>: the serializer manifest.</summary>
    public string Manifest { get; init; } = "manifest";

    /// <summary><c>columns.writer-uuid</c>.</summary>
    public string WriterUuid { get; init; } = "writer_uuid";
}

/// <summary><c>default.tag</c>: the tag table.</summary>
public sealed record TagTableSettings
{
    /// <summary><c>default.tag.table-name</c>.</summary>
    public string TableName { get; init; } = "tags";

    /// <summary><c>default.tag.columns</c>.</summary>
    public TagColumnNames Columns { get; init; } = new();
}

/// <summary><c>default.tag.columns.*</c>.</summary>
public sealed record TagColumnNames
{
    /// <summary><c>columns.ordering-id</c>: the tagged row's <c>journal.ordering</c>.</summary>
    public string OrderingId { get; init; } = "ordering_id";

    /// <summary><c>columns.tag-value</c>.</summary>
    public string TagValue { get; init; } = "tag";

    /// <summary><c>columns.persistence-id</c>.</summary>
    public string PersistenceId { get; init; } = "persistence_id";

    /// <summary><c>columns.sequence-nr</c> (note: <c>sequence_nr</c>, not <c>sequence_number</c>).</summary>
    public string SequenceNr { get; init; } = "sequence_nr";
}
