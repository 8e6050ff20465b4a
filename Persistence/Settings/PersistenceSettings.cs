using Gpuvmsim.Configuration;

namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// Which plugins persistent actors use unless they name their own (<c>JournalPluginId</c>, <c>SnapshotPluginId</c>):
/// HOCON paths of plugin blocks. A block's <c>class</c> picks the implementation:
/// <list type="bullet">
/// <item><c>Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql</c> and
/// <c>Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql</c>: the SQLite/PostgreSQL stores, configured
/// by the block's Akka.Persistence.Sql keys (<see cref="JournalSettings.FromConfig"/>);</item>
/// <item><c>Akka.Persistence.Journal.MemoryJournal, Akka.Persistence</c> and
/// <c>Akka.Persistence.Snapshot.MemorySnapshotStore, Akka.Persistence</c> (<c>akka.persistence.journal.inmem</c>,
/// <c>akka.persistence.snapshot-store.inmem</c>): the same stores on a private in-memory SQLite database that lives as
/// long as the actor system, for tests;</item>
/// <item><c>Akka.Persistence.Snapshot.NoSnapshotStore, Akka.Persistence</c>, or an empty snapshot plugin: no snapshot
/// store (recovery finds no snapshot; saving one fails).</item>
/// </list>
/// Every plugin block may set <c>plugin-dispatcher</c>, the dispatcher its actor runs on.
/// </summary>
public sealed record PersistenceSettings
{
    /// <summary>The key naming the default journal plugin.</summary>
    public const string JournalPluginKey = "akka.persistence.journal.plugin";

    /// <summary>The key naming the default snapshot-store plugin.</summary>
    public const string SnapshotPluginKey = "akka.persistence.snapshot-store.plugin";

    /// <summary>The in-memory journal plugin's path.</summary>
    public const string InMemoryJournal = "akka.persistence.journal.inmem";

    /// <summary>The in-memory snapshot-store plugin's path.</summary>
    public const string InMemorySnapshotStore = "akka.persistence.snapshot-store.inmem";

    /// <summary><c>akka.persistence.journal.plugin</c>.</summary>
    public string JournalPlugin { get; init; } = JournalSettings.Path;

    /// <summary><c>akka.persistence.snapshot-store.plugin</c>; empty for none.</summary>
    public string SnapshotStorePlugin { get; init; } = SnapshotStoreSettings.Path;

    /// <summary>Binds both keys of <paramref name="config"/> (over <c>reference.conf</c>) and checks that each names a
    /// plugin block with a known <c>class</c>, whose settings bind.</summary>
    /// <exception cref="InputException">A plugin is unknown or its settings are invalid; the message is positioned.</exception>
    public static PersistenceSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var merged = config.WithFallback(ConfigurationFactory.Default()).Resolve();
        var settings = PluginBinder.Settings(merged);
        PluginBinder.Journal(merged, settings.JournalPlugin);
        PluginBinder.SnapshotStore(merged, settings.SnapshotStorePlugin);
        return settings;
    }
}
