using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Postgres;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;
using Gpuvmsim.Persistence.Sqlite;

namespace Gpuvmsim.Persistence;

/// <summary>Opens snapshot stores; the store is picked by <see cref="SnapshotStoreSettings.ProviderName"/>.</summary>
public static class SnapshotStore
{
    /// <summary>Opens (and with <c>auto-initialize</c>, creates) the snapshot store the settings describe.</summary>
    /// <param name="settings">The <c>akka.persistence.snapshot-store.sql</c> settings.</param>
    /// <param name="registry">The snapshot types this store writes and reads.</param>
    /// <param name="clock">Stamps snapshots saved without a timestamp; the system clock when null.</param>
    /// <exception cref="InvalidStoreSettingsException">A setting is invalid.</exception>
    /// <exception cref="UnusableDatabaseException">The file is not a database or is damaged (it is left untouched).</exception>
    public static ISnapshotStore Open(SnapshotStoreSettings settings, EventRegistry registry, TimeProvider? clock = null)
    {
        var kind = SettingsValidator.Validate(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ISnapshotDriver driver = kind switch
        {
            StoreKind.Sqlite => SqliteSnapshotDriver.Open(settings),
            StoreKind.PostgreSql => PostgresSnapshotDriver.Open(settings),
            _ => throw new InvalidOperationException($"store {kind} has no snapshot store"),
        };
        return new SqlSnapshotStore(driver, registry, clock ?? TimeProvider.System);
    }

    /// <summary>Opens the snapshot store <c>akka.persistence.snapshot-store.plugin</c> of <paramref name="config"/>
    /// (over <c>reference.conf</c>) selects.</summary>
    /// <exception cref="InputException">The plugin is unknown or none, or a setting is invalid (positioned).</exception>
    public static ISnapshotStore Open(Config config, EventRegistry registry, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var merged = config.WithFallback(ConfigurationFactory.Default()).Resolve();
        var plugin = PluginBinder.SnapshotStore(merged, PluginBinder.Settings(merged).SnapshotStorePlugin);
        return plugin.Settings is { } settings
            ? Open(settings, registry, clock)
            : throw new InputException($"{PersistenceSettings.SnapshotPluginKey}: no snapshot store is configured ('{plugin.Id}')");
    }
}
