using System.Globalization;
using Gpuvmsim.Configuration;
using Gpuvmsim.Runtime.Event;
using Gpuvmsim.Runtime.Scheduling;
using static Gpuvmsim.Configuration.SettingReader;

namespace Gpuvmsim.Runtime;

/// <summary>
/// Binds HOCON onto <see cref="ActorSystemSettings"/> (<see cref="ActorSystemSettings.FromConfig"/>): the caller's
/// configuration over <c>reference.conf</c>, key by key as each property's doc names it. Every unacceptable value is a
/// <see cref="ConfigException"/> naming its <c>file:line:column</c> and key; nothing is checked later at run time
/// except a dispatcher named only by <c>Props.WithDispatcher</c>, which is bound from the same configuration on first use.
/// </summary>
internal static class ActorSystemSettingsBinder
{
    private const string DefaultDispatcherPath = "akka.actor.default-dispatcher";
    private const string DeploymentPath = "akka.actor.deployment";
    private const string Deterministic = "gpuvmsim.deterministic";

    private static readonly Dictionary<string, DispatcherType> DispatcherTypes = new(StringComparer.Ordinal)
    {
        ["deterministic"] = DispatcherType.Deterministic,
        ["threadpool"] = DispatcherType.ThreadPool,
    };

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DEBUG"] = LogLevel.Debug,
        ["INFO"] = LogLevel.Info,
        ["WARNING"] = LogLevel.Warning,
        ["ERROR"] = LogLevel.Error,
        ["OFF"] = LogLevel.Off,
    };

    private static readonly Dictionary<string, string> Strategies =
        StrategyFactory.Names.ToDictionary(n => n, n => n, StringComparer.Ordinal);

    public static ActorSystemSettings Bind(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.WithFallback(ConfigurationFactory.Default()).Resolve();
        var d = ActorSystemSettings.Default;
        var dispatchers = TopLevelDispatchers(c);
        var deployments = Deployments(c, dispatchers);
        string strategyPath = $"{Deterministic}.strategy";
        string strategy = Named(c, strategyPath, d.Strategy, Strategies);
        var schedule = Parsed<Schedule?>(c, $"{Deterministic}.schedule", null, "a schedule string (s1.…)", Schedule.Parse);
        if (strategy == ReplayStrategy.StrategyName && schedule is null)
            throw At(c, strategyPath, $"is '{strategy}', which needs {Deterministic}.schedule");
        return new ActorSystemSettings
        {
            DefaultDispatcherType = Named(c, $"{DefaultDispatcherPath}.type", d.DefaultDispatcherType, DispatcherTypes),
            Throughput = Int(c, $"{DefaultDispatcherPath}.throughput", d.Throughput, 1),
            Deployments = deployments,
            Dispatchers = dispatchers,
            Strategy = strategy,
            Seed = Seed(c, $"{Deterministic}.seed"),
            PctDepth = Int(c, $"{Deterministic}.pct-depth", d.PctDepth, 1),
            Trace = c.GetBoolean($"{Deterministic}.trace", d.Trace),
            ReplaySchedule = schedule,
            DefaultAskTimeout = AskTimeout(c, "akka.actor.ask-timeout", d.DefaultAskTimeout),
            VirtualEpoch = Parsed(c, $"{Deterministic}.virtual-epoch", d.VirtualEpoch, "an ISO 8601 time such as 2025-01-01T00:00:00Z",
                text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)),
            LogLevel = Named(c, "akka.loglevel", d.LogLevel, LogLevels),
            LogToStandardError = Named(c, "akka.stdout-loglevel", LogLevel.Off, LogLevels) != LogLevel.Off,
            Config = c,
        };
    }

    /// <summary>The dispatcher defined by the block at path <paramref name="id"/>, for a name only <c>Props.WithDispatcher</c> uses.</summary>
    /// <returns>False when <paramref name="id"/> names no object with a <c>type</c>.</returns>
    /// <exception cref="ConfigException">The block's values are unacceptable.</exception>
    public static bool TryBindDispatcher(Config config, string id, out DispatcherSettings settings)
    {
        settings = null!;
        string? path = PathOf(id);
        if (path is null || !config.TryGetField(path, out var field) || field.Value is not HoconObject block || block["type"] is null)
            return false;
        settings = Dispatcher(config, path);
        return true;
    }

    private static DispatcherSettings Dispatcher(Config c, string path) =>
        new(Named(c, $"{path}.type", DispatcherType.Deterministic, DispatcherTypes), Int(c, $"{path}.throughput", 30, 1));

    /// <summary>Top-level blocks whose <c>type</c> names a dispatcher type.</summary>
    private static Dictionary<string, DispatcherSettings> TopLevelDispatchers(Config c)
    {
        var result = new Dictionary<string, DispatcherSettings>(StringComparer.Ordinal);
        foreach (var field in c.Root.Fields)
        {
            if (field.Value is HoconObject block && block["type"] is HoconString { Value: var type } &&
                DispatcherTypes.ContainsKey(type) && !field.Key.Contains('"'))
                result[field.Key] = Dispatcher(c, Quote(field.Key));
        }
        return result;
    }

    /// <summary><c>akka.actor.deployment { "/user/x" { dispatcher = id } }</c>; every named dispatcher must be defined.</summary>
    private static Dictionary<string, string> Deployments(Config c, Dictionary<string, DispatcherSettings> dispatchers)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!c.HasPath(DeploymentPath)) return result;
        foreach (var field in c.GetObject(DeploymentPath).Fields)
        {
            string entry = $"{DeploymentPath}.{Quote(field.Key)}";
            if (!field.Key.StartsWith("/user/", StringComparison.Ordinal) && !field.Key.StartsWith("/system/", StringComparison.Ordinal))
                throw At(c, entry, "is not an actor path: deployments are keyed by paths such as \"/user/worker\" or \"/user/vm/*\"");
            string dispatcherPath = $"{entry}.dispatcher";
            _ = c.GetObject(entry);
            if (!c.HasPath(dispatcherPath)) continue;
            string id = c.GetString(dispatcherPath);
            if (id != ActorSystem.DefaultDispatcherId && !dispatchers.ContainsKey(id))
            {
                if (!TryBindDispatcher(c, id, out var named))
                    throw At(c, dispatcherPath, $"names dispatcher '{id}', which is not defined (a block with type = deterministic | threadpool)");
                dispatchers[id] = named;
            }
            result[field.Key] = id;
        }
        return result;
    }

    private static ulong Seed(Config c, string path)
    {
        long seed = c.GetLong(path, 0);
        return seed >= 0 ? (ulong)seed : throw At(c, path, $"must not be negative, got {seed.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A duration, or <c>infinite</c> / <c>off</c> for none.</summary>
    private static TimeSpan? AskTimeout(Config c, string path, TimeSpan? @default)
    {
        if (!c.HasPath(path)) return @default;
        if (c.GetValue(path) is HoconString { Value: "infinite" or "off" }) return null;
        var timeout = c.GetTimeSpan(path);
        return timeout >= TimeSpan.Zero ? timeout : throw At(c, path, $"must not be negative, got {timeout}");
    }

    /// <summary>A dispatcher id as a path expression: top-level names are quoted when they need it; dotted ids are paths.</summary>
    private static string? PathOf(string id) =>
        id.Length == 0 || id.Contains('"') ? null : id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.') ? id : Quote(id);

    private static string Quote(string key) => $"\"{key}\"";
}
