using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Postgres;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;
using Gpuvmsim.Persistence.Sqlite;

namespace Gpuvmsim.Persistence;

/// <summary>
/// Opens journals. The store is picked by <see cref="JournalSettings.ProviderName"/>: the SQLite names give the
/// embedded file journal, the PostgreSQL names the shared one (see <see cref="ProviderNames"/>).
/// </summary>
/// <example>
/// <code>
/// var events = new EventRegistry().Register&lt;VaInserted&gt;("va-inserted.v1");
/// using var journal = Journal.Open(JournalSettings.ForSqlite("run.db"), events);
/// journal.WriteMessages([new AtomicWrite(new PersistentRepr("vm-1", 1, new VaInserted(0x1000, 4096)))])[0].EnsurePersisted();
/// journal.ReplayMessages("vm-1", 1, long.MaxValue, long.MaxValue, e => Console.WriteLine(e.Payload));
/// </code>
/// </example>
public static class Journal
{
    /// <summary>Opens (and with <c>auto-initialize</c>, creates) the journal the settings describe.</summary>
    /// <param name="settings">The <c>akka.persistence.journal.sql</c> settings.</param>
    /// <param name="registry">The event types this journal writes and reads.</param>
    /// <param name="clock">Stamps events written without a timestamp; the system clock when null.</param>
    /// <returns>The open journal; dispose it to close its connections.</returns>
    /// <exception cref="InvalidStoreSettingsException">A setting is invalid, e.g. an unknown provider name; the message lists the known ones.</exception>
    /// <exception cref="UnusableDatabaseException">The file is not a database or is damaged (it is left untouched), or the tables are missing while auto-initialize is off.</exception>
    public static IJournal Open(JournalSettings settings, EventRegistry registry, TimeProvider? clock = null)
    {
        var kind = SettingsValidator.Validate(settings);
        ArgumentNullException.ThrowIfNull(registry);
        IJournalDriver driver = kind switch
        {
            StoreKind.Sqlite => SqliteJournalDriver.Open(settings),
            StoreKind.PostgreSql => PostgresJournalDriver.Open(settings),
            _ => throw new InvalidOperationException($"store {kind} has no journal"),
        };
        return new SqlJournal(driver, registry, settings, clock ?? TimeProvider.System);
    }

    /// <summary>
    /// Opens the journal <c>akka.persistence.journal.plugin</c> of <paramref name="config"/> (over <c>reference.conf</c>)
    /// selects: an Akka.Persistence.Sql block (<see cref="JournalSettings.FromConfig"/>) or the in-memory journal.
    /// </summary>
    /// <exception cref="InputException">The plugin is unknown or a setting is invalid; the message names the value's file:line:column and key.</exception>
    /// <exception cref="UnusableDatabaseException">As <see cref="Open(JournalSettings, EventRegistry, TimeProvider?)"/>.</exception>
    public static IJournal Open(Config config, EventRegistry registry, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var merged = config.WithFallback(ConfigurationFactory.Default()).Resolve();
        var plugin = PluginBinder.Journal(merged, PluginBinder.Settings(merged).JournalPlugin);
        return Open(plugin.Settings, registry, clock);
    }

    /// <summary>Opens the SQLite journal file at <paramref name="path"/> with default settings.</summary>
    public static IJournal OpenSqlite(string path, EventRegistry registry, TimeProvider? clock = null) =>
        Open(JournalSettings.ForSqlite(path), registry, clock);
}
