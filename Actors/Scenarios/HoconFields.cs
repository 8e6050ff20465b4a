using System.Globalization;
using Gpuvmsim.Configuration;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// Reads the fields of one HOCON object strictly: every field must be consumed, so a misspelt key is an
/// error naming the field's position and the valid keys, instead of being silently ignored.
/// </summary>
internal sealed class HoconFields
{
    private readonly HoconObject obj;
    private readonly string what;
    private readonly HashSet<string> consumed = [];

    public HoconFields(HoconValue value, string what)
    {
        this.what = what;
        obj = value as HoconObject ?? throw At(value.Origin).Error($"{what} must be an object, found {Describe(value)}");
    }

    public SourceOrigin Origin => At(obj.Origin);

    public bool Has(string key) => obj[key] is not null and not HoconNull;

    public HoconValue? Optional(string key)
    {
        consumed.Add(key);
        return obj[key] is HoconNull ? null : obj[key];
    }

    public HoconValue Required(string key) =>
        Optional(key) ?? throw Origin.Error($"{what} needs a '{key}' field");

    public SourceOrigin OriginOf(string key) => obj.TryGetField(key, out var f) ? At(f.Origin) : Origin;

    public string String(string key) => AsString(Required(key), $"{what}.{key}");

    public string? OptionalString(string key) => Optional(key) is { } v ? AsString(v, $"{what}.{key}") : null;

    public bool Bool(string key, bool @default) => Optional(key) is { } v ? AsBool(v, $"{what}.{key}") : @default;

    public ulong Number(string key) => AsNumber(Required(key), $"{what}.{key}");

    public ulong Number(string key, ulong @default) => Optional(key) is { } v ? AsNumber(v, $"{what}.{key}") : @default;

    /// <summary>A count that the simulator holds in an <c>int</c> (and loops over): at most <paramref name="max"/>.</summary>
    public int Count(string key, int @default, int max)
    {
        var value = Number(key, (ulong)@default);
        if (value > (ulong)max)
            throw OriginOf(key).Error($"{what}.{key} must be at most {max}, found {value}");
        return (int)value;
    }

    public IReadOnlyList<HoconValue> Array(string key) => Optional(key) is { } v ? AsArray(v, $"{what}.{key}") : [];

    /// <summary>Fails on the first field nobody asked for, naming the fields that are valid here.</summary>
    public void RejectUnknown()
    {
        foreach (var field in obj.Fields)
        {
            if (!consumed.Contains(field.Key))
                throw At(field.Origin).Error($"unknown field '{field.Key}' in {what}; valid fields: {string.Join(", ", consumed.Order(StringComparer.Ordinal))}");
        }
    }

    /// <summary>The single field of a one-key object (a step such as <c>{ lock = A }</c>).</summary>
    public static HoconField SingleField(HoconValue value, string what)
    {
        var o = value as HoconObject ?? throw At(value.Origin).Error($"{what} must be an object with one key naming its kind, found {Describe(value)}");
        if (o.Count != 1)
            throw At(o.Origin).Error($"{what} must have exactly one key naming its kind, found " + (o.Count == 0 ? "none" : $"{o.Count}: {string.Join(", ", o.Keys)}"));
        return o.Fields[0];
    }

    public static SourceOrigin At(ConfigOrigin origin) => new(origin.Source, origin.Line, origin.Column);

    public static string AsString(HoconValue value, string what) => value switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.OriginalText,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => throw At(value.Origin).Error($"{what} must be a string, found {Describe(value)}"),
    };

    public static bool AsBool(HoconValue value, string what) => value switch
    {
        HoconBoolean b => b.Value,
        HoconString { Value: "on" or "yes" or "true" } => true,
        HoconString { Value: "off" or "no" or "false" } => false,
        _ => throw At(value.Origin).Error($"{what} must be a boolean (true/false, on/off, yes/no), found {Describe(value)}"),
    };

    /// <summary>
    /// An address, range or size: a non-negative integer, a <c>0x</c> hexadecimal string, or a size with a
    /// binary unit as HOCON writes them (<c>16K</c>, <c>4 MiB</c>, <c>2G</c>; K/Ki/KiB = 1024).
    /// </summary>
    public static ulong AsNumber(HoconValue value, string what)
    {
        if (value is HoconNumber { IsIntegral: true, LongValue: >= 0 } n)
            return (ulong)n.LongValue;
        if (value is HoconString s && TryParseNumber(s.Value, out var parsed))
            return parsed;
        throw At(value.Origin).Error($"{what} must be a non-negative integer, 0x-hex or a size like 16K, found {Describe(value)}");
    }

    public static IReadOnlyList<HoconValue> AsArray(HoconValue value, string what) =>
        value as HoconArray is { } a ? a.Items : throw At(value.Origin).Error($"{what} must be an array, found {Describe(value)}");

    internal static bool TryParseNumber(string text, out ulong value)
    {
        var t = text.Trim().Replace("_", "", StringComparison.Ordinal);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits]))
            digits++;
        value = 0;
        if (digits == 0 || !ulong.TryParse(t.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return false;
        var shift = t[digits..].Trim() switch
        {
            "" or "B" or "b" or "byte" or "bytes" => 0,
            "K" or "k" or "Ki" or "KiB" or "kibibyte" or "kibibytes" => 10,
            "M" or "m" or "Mi" or "MiB" or "mebibyte" or "mebibytes" => 20,
            "G" or "g" or "Gi" or "GiB" or "gibibyte" or "gibibytes" => 30,
            "T" or "t" or "Ti" or "TiB" or "tebibyte" or "tebibytes" => 40,
            _ => -1,
        };
        if (shift < 0 || (shift > 0 && number > ulong.MaxValue >> shift))
            return false;
        value = number << shift;
        return true;
    }

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconString s => $"'{s.Value}'",
        HoconNumber n => n.OriginalText,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => "null",
    };
}
