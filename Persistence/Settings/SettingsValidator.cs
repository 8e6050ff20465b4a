namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// Checks settings at the edge (<see cref="Journal.Open(JournalSettings, Serialization.EventRegistry, TimeProvider?)"/>,
/// <see cref="SnapshotStore.Open(SnapshotStoreSettings, Serialization.EventRegistry, TimeProvider?)"/>, and the
/// <c>FromConfig</c> binders) and names the HOCON key at fault under <c>p</c>, the block the settings come from.
/// </summary>
internal static class SettingsValidator
{
    public static StoreKind Validate(JournalSettings s, string p = JournalSettings.Path)
    {
        ArgumentNullException.ThrowIfNull(s);
        var kind = Common(p, s.ConnectionString, s.ProviderName, s.TableMapping, s.Default.SchemaName);
        if (s.TagWriteMode != TagWriteMode.TagTable)
            throw JournalErrors.Setting($"{p}.tag-write-mode", $"'{s.TagWriteMode}' is not supported; only TagTable");
        if (s.BatchSize < 1)
            throw JournalErrors.Setting($"{p}.batch-size", $"must be at least 1 (was {s.BatchSize})");
        if (s.ReplayBatchSize < 1)
            throw JournalErrors.Setting($"{p}.replay-batch-size", $"must be at least 1 (was {s.ReplayBatchSize})");
        PageSize($"{p}.sqlite-page-size", s.SqlitePageSize);
        var j = s.Default.Journal;
        var c = j.Columns;
        Name($"{p}.default.journal.table-name", j.TableName);
        Name($"{p}.default.journal.columns.ordering", c.Ordering);
        Name($"{p}.default.journal.columns.deleted", c.Deleted);
        Name($"{p}.default.journal.columns.persistence-id", c.PersistenceId);
        Name($"{p}.default.journal.columns.sequence-number", c.SequenceNumber);
        Name($"{p}.default.journal.columns.created", c.Created);
        Name($"{p}.default.journal.columns.message", c.Message);
        Name($"{p}.default.journal.columns.identifier", c.Identifier);
        Name($"{p}.default.journal.columns.manifest", c.Manifest);
        Name($"{p}.default.journal.columns.writer-uuid", c.WriterUuid);
        var t = s.Default.Tag;
        Name($"{p}.default.tag.table-name", t.TableName);
        Name($"{p}.default.tag.columns.ordering-id", t.Columns.OrderingId);
        Name($"{p}.default.tag.columns.tag-value", t.Columns.TagValue);
        Name($"{p}.default.tag.columns.persistence-id", t.Columns.PersistenceId);
        Name($"{p}.default.tag.columns.sequence-nr", t.Columns.SequenceNr);
        if (string.Equals(j.TableName, t.TableName, StringComparison.OrdinalIgnoreCase))
            throw JournalErrors.Setting($"{p}.default.tag.table-name", $"'{t.TableName}' is also the journal's table name");
        return kind;
    }

    public static StoreKind Validate(SnapshotStoreSettings s, string p = SnapshotStoreSettings.Path)
    {
        ArgumentNullException.ThrowIfNull(s);
        var kind = Common(p, s.ConnectionString, s.ProviderName, s.TableMapping, s.Default.SchemaName);
        PageSize($"{p}.sqlite-page-size", s.SqlitePageSize);
        var t = s.Default.Snapshot;
        Name($"{p}.default.snapshot.table-name", t.TableName);
        Name($"{p}.default.snapshot.columns.persistence-id", t.Columns.PersistenceId);
        Name($"{p}.default.snapshot.columns.sequence-number", t.Columns.SequenceNumber);
        Name($"{p}.default.snapshot.columns.created", t.Columns.Created);
        Name($"{p}.default.snapshot.columns.snapshot", t.Columns.Snapshot);
        Name($"{p}.default.snapshot.columns.manifest", t.Columns.Manifest);
        Name($"{p}.default.snapshot.columns.serializerId", t.Columns.SerializerId);
        return kind;
    }

    private static StoreKind Common(string p, string connectionString, string providerName, string tableMapping, string? schemaName)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw JournalErrors.Setting($"{p}.connection-string", "is required");
        if (providerName is null || !ProviderNames.Known.TryGetValue(providerName, out var kind))
            throw JournalErrors.UnknownProvider($"{p}.provider-name", providerName ?? "null");
        ConnectionString($"{p}.connection-string", kind, connectionString);
        if (!string.Equals(tableMapping, "default", StringComparison.Ordinal))
            throw JournalErrors.Setting($"{p}.table-mapping", $"'{tableMapping}' is not supported; only 'default' (the Akka.Persistence.Sql layout)");
        if (schemaName is not null)
        {
            if (kind == StoreKind.Sqlite)
                throw JournalErrors.Setting($"{p}.default.schema-name", $"'{schemaName}' given, but SQLite has no schemas; leave it null");
            Name($"{p}.default.schema-name", schemaName);
        }
        return kind;
    }

    private static void ConnectionString(string key, StoreKind kind, string value)
    {
        try
        {
            _ = kind == StoreKind.Sqlite
                ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(value).ToString()
                : new Npgsql.NpgsqlConnectionStringBuilder(value).ToString();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw JournalErrors.Setting(key, e.Message);
        }
    }

    private static void PageSize(string key, int value)
    {
        if (!SqlitePageSizes.IsValid(value))
            throw JournalErrors.Setting(key, $"must be a power of two from {SqlitePageSizes.Min} to {SqlitePageSizes.Max} bytes (was {value})");
    }

    /// <summary>Names are quoted in SQL, so any text is safe except an empty one, a quote or a NUL.</summary>
    private static void Name(string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw JournalErrors.Setting(key, "must not be empty");
        if (value.IndexOfAny(['"', '[', ']', '\0', '`']) >= 0)
            throw JournalErrors.Setting(key, $"'{value}' contains a quote character");
        if (value.Length > 63)
            throw JournalErrors.Setting(key, $"'{value}' is longer than 63 characters (PostgreSQL's identifier limit)");
    }
}
