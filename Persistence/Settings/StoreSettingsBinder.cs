using Gpuvmsim.Configuration;
using static Gpuvmsim.Configuration.SettingReader;

namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// Binds the Akka.Persistence.Sql keys of a journal or snapshot-store block (conventions.md §2.3) onto
/// <see cref="JournalSettings"/> / <see cref="SnapshotStoreSettings"/>, one key per property as their docs name them.
/// A missing key keeps the record's default (which <c>reference.conf</c> repeats). The result is validated here, so a
/// wrong type, an unknown enum name or an unacceptable value is reported with the value's <c>file:line:column</c>
/// and its full key. Keys the plugin has but gpuvmsim does not use (see <c>reference.conf</c>) are not read.
/// </summary>
internal static class StoreSettingsBinder
{
    /// <param name="c">The configuration, already merged over <c>reference.conf</c> when the caller wants its defaults.</param>
    /// <param name="path">The block, e.g. <c>akka.persistence.journal.sql</c>.</param>
    public static JournalSettings Journal(Config c, string path)
    {
        string P(string key) => $"{path}.{key}";
        var d = new JournalSettings { ConnectionString = "" };
        var jt = d.Default.Journal;
        var jc = jt.Columns;
        var tt = d.Default.Tag;
        var tc = tt.Columns;
        var settings = new JournalSettings
        {
            ConnectionString = c.GetString(P("connection-string"), ""),
            ProviderName = c.GetString(P("provider-name"), d.ProviderName),
            TableMapping = c.GetString(P("table-mapping"), d.TableMapping),
            TagWriteMode = SettingReader.Enum(c, P("tag-write-mode"), d.TagWriteMode),
            AutoInitialize = c.GetBoolean(P("auto-initialize"), d.AutoInitialize),
            BatchSize = c.GetInt(P("batch-size"), d.BatchSize),
            ReplayBatchSize = c.GetInt(P("replay-batch-size"), d.ReplayBatchSize),
            SqlitePageSize = c.GetInt(P("sqlite-page-size"), d.SqlitePageSize),
            Default = new JournalTableMapping
            {
                SchemaName = OptionalString(c, P("default.schema-name")),
                Journal = new JournalTableSettings
                {
                    TableName = c.GetString(P("default.journal.table-name"), jt.TableName),
                    UseWriterUuidColumn = c.GetBoolean(P("default.journal.use-writer-uuid-column"), jt.UseWriterUuidColumn),
                    Columns = new JournalColumnNames
                    {
                        Ordering = c.GetString(P("default.journal.columns.ordering"), jc.Ordering),
                        Deleted = c.GetString(P("default.journal.columns.deleted"), jc.Deleted),
                        PersistenceId = c.GetString(P("default.journal.columns.persistence-id"), jc.PersistenceId),
                        SequenceNumber = c.GetString(P("default.journal.columns.sequence-number"), jc.SequenceNumber),
                        Created = c.GetString(P("default.journal.columns.created"), jc.Created),
                        Tags = c.GetString(P("default.journal.columns.tags"), jc.Tags),
                        Message = c.GetString(P("default.journal.columns.message"), jc.Message),
                        Identifier = c.GetString(P("default.journal.columns.identifier"), jc.Identifier),
                        Manifest = c.GetString(P("default.journal.columns.manifest"), jc.Manifest),
                        WriterUuid = c.GetString(P("default.journal.columns.writer-uuid"), jc.WriterUuid),
                    },
                },
                Tag = new TagTableSettings
                {
                    TableName = c.GetString(P("default.tag.table-name"), tt.TableName),
                    Columns = new TagColumnNames
                    {
                        OrderingId = c.GetString(P("default.tag.columns.ordering-id"), tc.OrderingId),
                        TagValue = c.GetString(P("default.tag.columns.tag-value"), tc.TagValue),
                        PersistenceId = c.GetString(P("default.tag.columns.persistence-id"), tc.PersistenceId),
                        SequenceNr = c.GetString(P("default.tag.columns.sequence-nr"), tc.SequenceNr),
                    },
                },
            },
        };
        Positioned(c, () => SettingsValidator.Validate(settings, path));
        return settings;
    }

    /// <inheritdoc cref="Journal"/>
    public static SnapshotStoreSettings SnapshotStore(Config c, string path)
    {
        string P(string key) => $"{path}.{key}";
        var d = new SnapshotStoreSettings { ConnectionString = "" };
        var st = d.Default.Snapshot;
        var sc = st.Columns;
        var settings = new SnapshotStoreSettings
        {
            ConnectionString = c.GetString(P("connection-string"), ""),
            ProviderName = c.GetString(P("provider-name"), d.ProviderName),
            TableMapping = c.GetString(P("table-mapping"), d.TableMapping),
            AutoInitialize = c.GetBoolean(P("auto-initialize"), d.AutoInitialize),
            SqlitePageSize = c.GetInt(P("sqlite-page-size"), d.SqlitePageSize),
            Default = new SnapshotTableMapping
            {
                SchemaName = OptionalString(c, P("default.schema-name")),
                Snapshot = new SnapshotTableSettings
                {
                    TableName = c.GetString(P("default.snapshot.table-name"), st.TableName),
                    Columns = new SnapshotColumnNames
                    {
                        PersistenceId = c.GetString(P("default.snapshot.columns.persistence-id"), sc.PersistenceId),
                        SequenceNumber = c.GetString(P("default.snapshot.columns.sequence-number"), sc.SequenceNumber),
                        Created = c.GetString(P("default.snapshot.columns.created"), sc.Created),
                        Snapshot = c.GetString(P("default.snapshot.columns.snapshot"), sc.Snapshot),
                        Manifest = c.GetString(P("default.snapshot.columns.manifest"), sc.Manifest),
                        SerializerId = c.GetString(P("default.snapshot.columns.serializerId"), sc.SerializerId),
                    },
                },
            },
        };
        Positioned(c, () => SettingsValidator.Validate(settings, path));
        return settings;
    }

    /// <summary>Runs a validator and puts the position of the offending value in front of its error.</summary>
    private static void Positioned(Config c, Func<StoreKind> validate)
    {
        try
        {
            validate();
        }
        catch (InvalidStoreSettingsException e) when (e.Origin is null)
        {
            throw new InvalidStoreSettingsException(e.Key, e.Reason, OriginOf(c, e.Key));
        }
    }
}
