using System.Globalization;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Reads settings records from a <see cref="Config"/> (the <c>FromConfig</c> methods of the runtime and the stores).
/// A value that is missing or null gives the caller's default; a value that is present but unacceptable (wrong type,
/// unknown name, out of range, unparsable) throws a <see cref="ConfigException"/> naming the value's
/// <c>file:line:column</c> and the full key.
/// </summary>
internal static class SettingReader
{
    /// <summary>Where the value at <paramref name="path"/> was written (the root's origin when it is missing).</summary>
    public static ConfigOrigin OriginOf(Config config, string path) =>
        config.TryGetField(path, out var field) ? field.Value.Origin : config.Root.Origin;

    /// <summary>The string at <paramref name="path"/>, or null when it is missing or null.</summary>
    public static string? OptionalString(Config config, string path) =>
        config.HasPath(path) ? config.GetString(path) : null;

    /// <summary>An integer of at least <paramref name="min"/>.</summary>
    public static int Int(Config config, string path, int @default, int min)
    {
        int value = config.GetInt(path, @default);
        if (value < min)
            throw ConfigErrors.Invalid(OriginOf(config, path), path, $"must be at least {min}, got {value.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    /// <summary>One of the names of <paramref name="names"/> (compared with the dictionary's comparer).</summary>
    public static T Named<T>(Config config, string path, T @default, IReadOnlyDictionary<string, T> names)
    {
        if (!config.HasPath(path)) return @default;
        string text = config.GetString(path);
        return names.TryGetValue(text, out var value)
            ? value
            : throw ConfigErrors.UnknownValue(OriginOf(config, path), path, text, names.Keys);
    }

    /// <summary>An enum member by name, ignoring case (as Akka reads enum settings).</summary>
    public static T Enum<T>(Config config, string path, T @default) where T : struct, System.Enum
    {
        var names = System.Enum.GetValues<T>().ToDictionary(v => v.ToString(), v => v, StringComparer.OrdinalIgnoreCase);
        return Named(config, path, @default, names);
    }

    /// <summary>A string converted by <paramref name="parse"/>; its <see cref="FormatException"/>,
    /// <see cref="ArgumentException"/> or <see cref="InputException"/> becomes a positioned error.</summary>
    public static T Parsed<T>(Config config, string path, T @default, string expected, Func<string, T> parse)
    {
        if (!config.HasPath(path)) return @default;
        string text = config.GetString(path);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InputException)
        {
            throw ConfigErrors.Invalid(OriginOf(config, path), path, $"must be {expected}, got '{text}': {e.Message}", e);
        }
    }

    /// <summary>Wraps an error found after reading (a validator's) with the position of the value at <paramref name="path"/>.</summary>
    public static ConfigException At(Config config, string path, string reason, Exception? inner = null) =>
        ConfigErrors.Invalid(OriginOf(config, path), path, reason, inner);
}
