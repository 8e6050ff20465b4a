namespace Gpuvmsim.Configuration;

/// <summary>
/// A configuration: a tree of settings read from HOCON, with typed getters in the style of Akka.NET
/// (<c>config.GetTimeSpan("akka.actor.ask-timeout")</c>). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Substitutions are resolved against the whole tree the first time a value is read (or on <see cref="Resolve"/>),
/// so a configuration combined with <see cref="WithFallback"/> can refer to settings its fallback defines.
/// Resolution errors therefore surface at that first read, as <see cref="ConfigException"/>.
/// </remarks>
public sealed partial class Config
{
    private static readonly ConfigOrigin EmptyOrigin = new("<empty>", 1, 1);

    private readonly HoconObject _unresolved;
    private readonly Func<string, string?> _environment;
    private readonly Lazy<HoconObject> _root;

    internal Config(HoconObject unresolved, Func<string, string?>? environment = null)
    {
        _unresolved = unresolved;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _root = new Lazy<HoconObject>(() => Resolver.ResolveRoot(_unresolved, _environment), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A configuration without settings.</summary>
    public static Config Empty { get; } = new(HoconObject.Empty(EmptyOrigin));

    /// <summary>The resolved root object. Throws <see cref="ConfigException"/> when a substitution cannot be resolved.</summary>
    public HoconObject Root => _root.Value;

    /// <summary>True when the resolved configuration has no setting at all.</summary>
    public bool IsEmpty => Root.Count == 0;

    /// <summary>Resolves every substitution now, so errors surface here rather than at the first getter; returns this.</summary>
    public Config Resolve()
    {
        _ = Root;
        return this;
    }

    /// <summary>
    /// This configuration with <paramref name="fallback"/> underneath: keys set here win, objects merge key by key,
    /// and substitutions on either side resolve against the merged tree (HOCON.md, "Config object merging").
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new Config((HoconObject)Merger.Merge(_unresolved, fallback._unresolved), _environment);
    }

    /// <summary>
    /// This configuration resolving <c>${NAME}</c> fallbacks through <paramref name="lookup"/> instead of the process
    /// environment; tests use it to stay independent of the machine.
    /// </summary>
    public Config WithEnvironment(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new Config(_unresolved, lookup);
    }

    /// <summary>True when <paramref name="path"/> holds a value other than null.</summary>
    public bool HasPath(string path) => TryGetField(path, out var field) && field.Value is not HoconNull;

    /// <summary>Finds the field at <paramref name="path"/>; false when any key on the way is missing or not an object.</summary>
    public bool TryGetField(string path, out HoconField field)
    {
        var keys = HoconPath.Parse(path);
        HoconObject current = Root;
        field = null!;
        for (int i = 0; i < keys.Length; i++)
        {
            if (!current.TryGetField(keys[i], out field))
                return false;
            if (i < keys.Length - 1)
            {
                if (field.Value is not HoconObject next)
                    return false;
                current = next;
            }
        }
        return keys.Length > 0;
    }

    /// <summary>The value at <paramref name="path"/> (which may be null); throws <see cref="ConfigException"/> when it is missing.</summary>
    public HoconValue GetValue(string path) =>
        TryGetField(path, out var field) ? field.Value : throw ConfigErrors.MissingPath(Root.Origin, path);

    /// <summary>
    /// Where the field at <paramref name="path"/> was written: the position of its key in the definition that won.
    /// The value's own position is <c>GetValue(path).Origin</c>. Throws <see cref="ConfigException"/> when missing.
    /// </summary>
    public ConfigOrigin GetOrigin(string path) =>
        TryGetField(path, out var field) ? field.Origin : throw ConfigErrors.MissingPath(Root.Origin, path);

    /// <summary>The resolved configuration as concise JSON, as <c>gpuvmsim config render</c> prints it.</summary>
    public string Render() => Root.ToJson();

    public override string ToString() => Render();
}
