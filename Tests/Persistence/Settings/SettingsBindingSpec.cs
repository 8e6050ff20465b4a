using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence.Settings;

/// <summary>The Akka.Persistence.Sql keys (conventions.md §2.3) bound onto the store settings, with reference.conf underneath.</summary>
public sealed class SettingsBindingSpec
{
    private static Config Hocon(string text) => ConfigurationFactory.ParseString(text);

    [Fact]
    public void Reference_conf_binds_to_the_documented_journal_defaults()
    {
        var s = JournalSettings.FromConfig(ConfigurationFactory.Empty);

        Assert.Equal(new JournalSettings { ConnectionString = "Data Source=gpuvmsim.db" }, s);
    }

    [Fact]
    public void Reference_conf_binds_to_the_documented_snapshot_store_defaults_sharing_the_journal_database()
    {
        var s = SnapshotStoreSettings.FromConfig(Hocon("akka.persistence.journal.sql.connection-string = \"Data Source=shared.db\""));

        Assert.Equal(new SnapshotStoreSettings { ConnectionString = "Data Source=shared.db" }, s);
    }

    [Fact]
    public void Every_journal_key_overrides_its_default()
    {
        var s = JournalSettings.FromConfig(Hocon("""
            akka.persistence.journal.sql {
              connection-string = "Host=db;Username=u"
              provider-name = PostgreSQL.15
              tag-write-mode = tagtable
              auto-initialize = off
              batch-size = 7
              replay-batch-size = 9
              sqlite-page-size = 8192
              default {
                schema-name = sim
                journal {
                  use-writer-uuid-column = false
                  table-name = events
                  columns { ordering = o, deleted = d, persistence-id = pid, sequence-number = seq, created = c,
                            tags = t, message = m, identifier = i, manifest = mf, writer-uuid = w }
                }
                tag { table-name = event_tags, columns { ordering-id = oid, tag-value = tv, persistence-id = tp, sequence-nr = ts } }
              }
            }
            """));

        Assert.Equal(("Host=db;Username=u", "PostgreSQL.15", TagWriteMode.TagTable, false, 7, 9, 8192),
            (s.ConnectionString, s.ProviderName, s.TagWriteMode, s.AutoInitialize, s.BatchSize, s.ReplayBatchSize, s.SqlitePageSize));
        Assert.Equal("sim", s.Default.SchemaName);
        Assert.Equal(new JournalTableSettings
        {
            TableName = "events",
            UseWriterUuidColumn = false,
            Columns = new JournalColumnNames
            {
                Ordering = "o", Deleted = "d", PersistenceId = "pid", SequenceNumber = "seq", Created = "c",
                Tags = "t", Message = "m", Identifier = "i", Manifest = "mf", WriterUuid = "w",
            },
        }, s.Default.Journal);
        Assert.Equal(new TagTableSettings
        {
            TableName = "event_tags",
            Columns = new TagColumnNames { OrderingId = "oid", TagValue = "tv", PersistenceId = "tp", SequenceNr = "ts" },
        }, s.Default.Tag);
    }

    [Fact]
    public void Every_snapshot_key_overrides_its_default()
    {
        var s = SnapshotStoreSettings.FromConfig(Hocon("""
            akka.persistence.snapshot-store.sql {
              connection-string = "Data Source=snaps.db"
              provider-name = SQLite
              auto-initialize = false
              sqlite-page-size = 4096
              default.snapshot {
                table-name = snaps
                columns { persistence-id = p, sequence-number = s, created = c, snapshot = b, manifest = m, serializerId = z }
              }
            }
            """));

        Assert.Equal(("Data Source=snaps.db", "SQLite", false, 4096), (s.ConnectionString, s.ProviderName, s.AutoInitialize, s.SqlitePageSize));
        Assert.Equal(new SnapshotTableSettings
        {
            TableName = "snaps",
            Columns = new SnapshotColumnNames { PersistenceId = "p", SequenceNumber = "s", Created = "c", Snapshot = "b", Manifest = "m", SerializerId = "z" },
        }, s.Default.Snapshot);
    }

    [Fact]
    public void A_block_of_your_own_keeps_the_defaults_of_the_keys_it_does_not_set()
    {
        var s = JournalSettings.FromConfig(Hocon("""my.journal { connection-string = "Data Source=mine.db", batch-size = 3 }"""), "my.journal");

        Assert.Equal(new JournalSettings { ConnectionString = "Data Source=mine.db", BatchSize = 3 }, s);
    }

    [Theory]
    [InlineData("tag-write-mode = Sideways", "Sideways", "has the unknown value 'Sideways'; known: Csv, TagTable, Both")]
    [InlineData("batch-size = many", "many", "must be an integer")]
    [InlineData("auto-initialize = perhaps", "perhaps", "must be a boolean")]
    [InlineData("default.journal.columns { manifest = [1] }", "[1]", "must be a string")]
    public void A_value_of_the_wrong_type_is_a_positioned_error_naming_the_key(string setting, string value, string reason)
    {
        string hocon = "akka.persistence.journal.sql." + setting;

        var e = Assert.Throws<ConfigException>(() => JournalSettings.FromConfig(Hocon(hocon)));

        Assert.Equal(new ConfigOrigin("<string>", 1, hocon.IndexOf(value, StringComparison.Ordinal) + 1), e.Origin);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("tag-write-mode = Csv", "Csv", "tag-write-mode", "only TagTable")]
    [InlineData("provider-name = Oracle", "Oracle", "provider-name", "unknown provider 'Oracle'")]
    [InlineData("batch-size = 0", "0", "batch-size", "must be at least 1")]
    [InlineData("table-mapping = sqlite", "sqlite", "table-mapping", "only 'default'")]
    [InlineData("default.schema-name = sim", "sim", "default.schema-name", "SQLite has no schemas")]
    public void An_unacceptable_value_is_refused_with_its_position_and_key(string setting, string value, string key, string reason)
    {
        string hocon = "akka.persistence.journal.sql." + setting;

        var e = Assert.Throws<InvalidStoreSettingsException>(() => JournalSettings.FromConfig(Hocon(hocon)));

        Assert.Equal("akka.persistence.journal.sql." + key, e.Key);
        Assert.Equal(new ConfigOrigin("<string>", 1, hocon.IndexOf(value, StringComparison.Ordinal) + 1), e.Origin);
        Assert.StartsWith($"<string>:1:{e.Origin!.Column}: akka.persistence.journal.sql.{key}: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Plugin_selection_binds_and_checks_the_selected_blocks()
    {
        var s = PersistenceSettings.FromConfig(Hocon("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = ""
            """));

        Assert.Equal(("akka.persistence.journal.inmem", ""), (s.JournalPlugin, s.SnapshotStorePlugin));
        Assert.Equal(new PersistenceSettings(), PersistenceSettings.FromConfig(ConfigurationFactory.Empty));
    }

    [Theory]
    [InlineData("akka.persistence.journal.plugin = nowhere", "nowhere", "names 'nowhere', which is not a journal plugin block")]
    [InlineData("akka.persistence.journal.sql.class = \"My.Journal, Mine\"", "\"My.Journal", "names the unknown journal class 'My.Journal'")]
    public void An_unknown_plugin_is_a_positioned_error(string hocon, string value, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => PersistenceSettings.FromConfig(Hocon(hocon)));

        Assert.Equal(new ConfigOrigin("<string>", 1, hocon.IndexOf(value, StringComparison.Ordinal) + 1), e.Origin);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_plugin_of_the_wrong_kind_is_reported_at_its_class_naming_where_it_was_selected()
    {
        const string hocon = "akka.persistence.snapshot-store.plugin = akka.persistence.journal.inmem";

        var e = Assert.Throws<ConfigException>(() => PersistenceSettings.FromConfig(Hocon(hocon)));

        Assert.Equal(ConfigurationFactory.ReferenceName, e.Origin.Source);
        Assert.Contains("unknown snapshot-store class 'Akka.Persistence.Journal.MemoryJournal' (selected by akka.persistence.snapshot-store.plugin at <string>:1:42)", e.Message);
    }
}
