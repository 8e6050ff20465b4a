using Gpuvmsim.Configuration;
using Gpuvmsim.Runtime;
using static Gpuvmsim.Configuration.SettingReader;

namespace Gpuvmsim.Persistence.Settings;

/// <summary>What implements a plugin block.</summary>
internal enum PluginKind
{
    /// <summary>The Akka.Persistence.Sql-shaped SQLite/PostgreSQL store.</summary>
    Sql,

    /// <summary>The same store on a private in-memory SQLite database.</summary>
    InMemory,

    /// <summary>No snapshot store.</summary>
    None,
}

/// <summary>A journal plugin: its path, implementation, store settings and the dispatcher of its actor.</summary>
internal sealed record JournalPlugin(string Id, PluginKind Kind, JournalSettings Settings, string Dispatcher);

/// <summary>A snapshot-store plugin; <see cref="Settings"/> is null for <see cref="PluginKind.None"/>.</summary>
internal sealed record SnapshotPlugin(string Id, PluginKind Kind, SnapshotStoreSettings? Settings, string Dispatcher);

/// <summary>Binds plugin selection (<see cref="PersistenceSettings"/>) and plugin blocks from a configuration already
/// merged over <c>reference.conf</c>.</summary>
internal static class PluginBinder
{
    private const string InMemoryConnection = "Data Source=:memory:";

    private static readonly Dictionary<string, PluginKind> JournalClasses = new(StringComparer.Ordinal)
    {
        ["Akka.Persistence.Sql.Journal.SqlWriteJournal"] = PluginKind.Sql,
        ["Akka.Persistence.Journal.MemoryJournal"] = PluginKind.InMemory,
    };

    private static readonly Dictionary<string, PluginKind> SnapshotClasses = new(StringComparer.Ordinal)
    {
        ["Akka.Persistence.Sql.Snapshot.SqlSnapshotStore"] = PluginKind.Sql,
        ["Akka.Persistence.Snapshot.MemorySnapshotStore"] = PluginKind.InMemory,
        ["Akka.Persistence.Snapshot.NoSnapshotStore"] = PluginKind.None,
    };

    public static PersistenceSettings Settings(Config c) => new()
    {
        JournalPlugin = c.GetString(PersistenceSettings.JournalPluginKey, JournalSettings.Path),
        SnapshotStorePlugin = c.GetString(PersistenceSettings.SnapshotPluginKey, SnapshotStoreSettings.Path),
    };

    /// <exception cref="InputException">No such block, an unknown class, or invalid store settings.</exception>
    public static JournalPlugin Journal(Config c, string id)
    {
        var kind = Kind(c, id, PersistenceSettings.JournalPluginKey, JournalClasses, "journal");
        var settings = kind == PluginKind.InMemory
            ? new JournalSettings { ConnectionString = InMemoryConnection }
            : StoreSettingsBinder.Journal(c, id);
        return new JournalPlugin(id, kind, settings, Dispatcher(c, id));
    }

    /// <inheritdoc cref="Journal"/>
    public static SnapshotPlugin SnapshotStore(Config c, string id)
    {
        if (id.Length == 0) return new SnapshotPlugin(id, PluginKind.None, null, ActorSystem.DefaultDispatcherId);
        var kind = Kind(c, id, PersistenceSettings.SnapshotPluginKey, SnapshotClasses, "snapshot-store");
        var settings = kind switch
        {
            PluginKind.InMemory => new SnapshotStoreSettings { ConnectionString = InMemoryConnection },
            PluginKind.Sql => StoreSettingsBinder.SnapshotStore(c, id),
            _ => null,
        };
        return new SnapshotPlugin(id, kind, settings, Dispatcher(c, id));
    }

    private static PluginKind Kind(Config c, string id, string selectingKey, Dictionary<string, PluginKind> classes, string what)
    {
        if (!c.TryGetField(id, out var field) || field.Value is not HoconObject)
        {
            string reason = $"names '{id}', which is not a {what} plugin block";
            throw c.GetString(selectingKey, "") == id
                ? At(c, selectingKey, reason)
                : new InputException($"{what} plugin '{id}' is not defined: no configuration block at that path");
        }
        string selected = c.GetString(selectingKey, "") == id ? $" (selected by {selectingKey} at {OriginOf(c, selectingKey)})" : "";
        string classKey = $"{id}.class";
        if (!c.HasPath(classKey))
            throw At(c, id, $"is a {what} plugin block without a 'class'{selected}; known: {string.Join(", ", classes.Keys)}");
        string typeName = c.GetString(classKey).Split(',')[0].Trim();
        return classes.TryGetValue(typeName, out var kind)
            ? kind
            : throw At(c, classKey, $"names the unknown {what} class '{typeName}'{selected}; known: {string.Join(", ", classes.Keys)}");
    }

    private static string Dispatcher(Config c, string id) => c.GetString($"{id}.plugin-dispatcher", ActorSystem.DefaultDispatcherId);
}
