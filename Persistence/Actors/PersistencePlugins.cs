using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// The <see cref="IPersistenceExtension"/> of one system. Plugins are bound from the system's configuration and
/// created on first use, once per plugin id, under a lock: the store is opened on the caller's thread (so a bad
/// setting or an unusable database surfaces there), then its actor is made under <c>/system</c>, named after the
/// plugin id; the actor owns the store from then on and closes it when it stops. The constructor only binds the plugin
/// selection, because <c>ActorSystem.GetOrAddExtension</c> may run it twice in a race.
/// </summary>
internal sealed class PersistencePlugins : IPersistenceExtension
{
    private readonly ActorSystem _system;
    private readonly Config _config;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (IActorRef Actor, IJournal Store)> _journals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _snapshotStores = new(StringComparer.Ordinal);
    private int _lastInstanceId;

    public PersistencePlugins(ActorSystem system, EventRegistry events)
    {
        _system = system;
        Events = events;
        _config = system.Settings.Config ?? ConfigurationFactory.Default();
        _clock = new SchedulerClock(system.Scheduler);
        Settings = PluginBinder.Settings(_config);
    }

    public EventRegistry Events { get; }

    public PersistenceSettings Settings { get; }

    public IActorRef JournalFor(string? journalPluginId = null) => JournalPlugin(journalPluginId).Actor;

    public IReadJournal ReadJournalFor(string? journalPluginId = null) => JournalPlugin(journalPluginId).Store.Query;

    public IActorRef SnapshotStoreFor(string? snapshotPluginId = null)
    {
        string id = snapshotPluginId ?? Settings.SnapshotStorePlugin;
        lock (_gate)
        {
            if (_snapshotStores.TryGetValue(id, out var existing)) return existing;
            var plugin = PluginBinder.SnapshotStore(_config, id);
            var store = plugin.Settings is { } settings ? SnapshotStore.Open(settings, Events, _clock) : null;
            var props = Props.CreateBy(() => new SnapshotStoreActor(store, _clock)).WithDispatcher(plugin.Dispatcher);
            var actor = Create(props, id.Length == 0 ? "no-snapshot-store" : id, store);
            _snapshotStores[id] = actor;
            return actor;
        }
    }

    /// <summary>A new id for one incarnation of a persistent actor; dense, in the order incarnations start.</summary>
    public int NextInstanceId() => Interlocked.Increment(ref _lastInstanceId);

    private (IActorRef Actor, IJournal Store) JournalPlugin(string? journalPluginId)
    {
        string id = journalPluginId ?? Settings.JournalPlugin;
        lock (_gate)
        {
            if (_journals.TryGetValue(id, out var existing)) return existing;
            var plugin = PluginBinder.Journal(_config, id);
            var store = Persistence.Journal.Open(plugin.Settings, Events, _clock);
            int pageSize = plugin.Settings.ReplayBatchSize;
            var props = Props.CreateBy(() => new JournalActor(store, pageSize)).WithDispatcher(plugin.Dispatcher);
            var entry = (Create(props, id, store), store);
            _journals[id] = entry;
            return entry;
        }
    }

    private IActorRef Create(Props props, string name, IDisposable? store)
    {
        try
        {
            return _system.SystemActorOf(props, name);
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }
}
