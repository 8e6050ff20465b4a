using System.Text;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>
/// The event types a bind journal stores and their manifests: every <see cref="WorldEvent"/> of the world actors and
/// the journal's own records (<see cref="BindRunRecorded"/>, <see cref="BindTraceRecorded"/>, <see cref="ExplorationRecorded"/>).
/// A manifest is the type name in kebab case plus its version, e.g. <c>lock-requested.v1</c>.
/// </summary>
public static class BindJournalEvents
{
    /// <summary>Every stored type, ordered by manifest.</summary>
    public static IReadOnlyList<Type> Types { get; } =
        typeof(WorldEvent).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(WorldEvent)))
            .Concat([typeof(BindRunRecorded), typeof(BindTraceRecorded), typeof(ExplorationRecorded)])
            .OrderBy(ManifestOf, StringComparer.Ordinal)
            .ToList();

    /// <summary>The registry every bind journal store shares: building one (the JSON metadata of every type) takes
    /// milliseconds, a noticeable part of a short <c>explore --journal</c>; a registry is safe to share once built.</summary>
    public static EventRegistry Registry { get; } = CreateRegistry();

    /// <summary>A registry of <see cref="Types"/>.</summary>
    public static EventRegistry CreateRegistry()
    {
        var registry = new EventRegistry();
        foreach (var type in Types)
            registry.Register(type, ManifestOf(type));
        return registry;
    }

    public static string ManifestOf(Type type)
    {
        var name = new StringBuilder(type.Name.Length + 8);
        for (var i = 0; i < type.Name.Length; i++)
        {
            var c = type.Name[i];
            if (char.IsUpper(c) && i > 0)
                name.Append('-');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.Append(".v1").ToString();
    }
}
