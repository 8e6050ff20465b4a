using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// The persistence of one actor system (Akka's <c>Persistence</c> extension): the journal and snapshot-store plugins
/// configured for it and the event registry they serialize with. Get it with <see cref="PersistenceExtension.Get"/>.
/// Thread-safe.
/// </summary>
public interface IPersistenceExtension
{
    /// <summary>The event and snapshot types the plugins write and read; register before the first write or replay.</summary>
    EventRegistry Events { get; }

    /// <summary>The default plugins, bound from the system's configuration (<c>ActorSystemSettings.Config</c>, else <c>reference.conf</c>).</summary>
    PersistenceSettings Settings { get; }

    /// <summary>
    /// The journal actor of plugin <paramref name="journalPluginId"/> (a HOCON path; null for the default), created with
    /// its store on first use under <c>/system</c>; it speaks <see cref="WriteMessages"/>, <see cref="ReplayMessages"/>
    /// and <see cref="DeleteMessagesTo"/>, and closes its store when the system terminates.
    /// </summary>
    /// <exception cref="InputException">The plugin is unknown or its settings are invalid (positioned).</exception>
    /// <exception cref="UnusableDatabaseException">The store cannot be opened.</exception>
    IActorRef JournalFor(string? journalPluginId = null);

    /// <summary>The snapshot-store actor of plugin <paramref name="snapshotPluginId"/> (null for the default), created on first use.</summary>
    /// <exception cref="InputException">The plugin is unknown or its settings are invalid.</exception>
    IActorRef SnapshotStoreFor(string? snapshotPluginId = null);

    /// <summary>The "current" queries over the store of journal plugin <paramref name="journalPluginId"/> (Akka's
    /// <c>PersistenceQuery.ReadJournalFor</c>). They read the store directly, not through the journal actor.</summary>
    IReadJournal ReadJournalFor(string? journalPluginId = null);
}

/// <summary>Access to a system's <see cref="IPersistenceExtension"/>.</summary>
/// <example>
/// <code>
/// var system = ActorSystem.Create("sim", """akka.persistence.journal.plugin = "akka.persistence.journal.inmem" """);
/// PersistenceExtension.Get(system).Events.RegisterAttributed(typeof(VaInserted).Assembly);
/// var vm = system.ActorOf(Props.Create(() =&gt; new VmJournalActor("vm-1")), "vm-1");
/// </code>
/// </example>
public static class PersistenceExtension
{
    /// <summary>The system's persistence, made on first use with an empty <see cref="EventRegistry"/> (register event
    /// types in <see cref="IPersistenceExtension.Events"/>). Binding the plugin selection may throw
    /// <see cref="InputException"/>; stores are opened only when a plugin is first used.</summary>
    public static IPersistenceExtension Get(ActorSystem system) => Of(system);

    /// <summary>Makes the system's persistence with <paramref name="events"/> as its registry; call it before anything
    /// uses persistence. Calling it again with the same registry returns the same extension.</summary>
    /// <exception cref="InvalidOperationException">The system's persistence already exists with another registry.</exception>
    public static IPersistenceExtension Init(ActorSystem system, EventRegistry events)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(events);
        var extension = system.GetOrAddExtension(s => new PersistencePlugins(s, events));
        return ReferenceEquals(extension.Events, events)
            ? extension
            : throw new InvalidOperationException($"The persistence of {system} already exists with another event registry; call Init before anything uses persistence.");
    }

    internal static PersistencePlugins Of(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.GetOrAddExtension(s => new PersistencePlugins(s, new EventRegistry()));
    }
}
