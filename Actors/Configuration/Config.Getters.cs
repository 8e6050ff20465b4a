using System.Globalization;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Typed getters (HOCON.md, "Automatic type conversions"). Each comes in two forms: without a default it throws
/// <see cref="ConfigException"/> for a missing or null setting; with a default it returns the default then.
/// A value of the wrong type always throws, naming the value's <c>file:line:column</c> and the path.
/// </summary>
public sealed partial class Config
{
    public string GetString(string path) => AsString(Require(path), path);

    public string GetString(string path, string @default) => Find(path) is { } v ? AsString(v, path) : @default;

    public int GetInt(string path) => AsInt(Require(path), path);

    public int GetInt(string path, int @default) => Find(path) is { } v ? AsInt(v, path) : @default;

    public long GetLong(string path) => AsLong(Require(path), path);

    public long GetLong(string path, long @default) => Find(path) is { } v ? AsLong(v, path) : @default;

    public double GetDouble(string path) => AsDouble(Require(path), path);

    public double GetDouble(string path, double @default) => Find(path) is { } v ? AsDouble(v, path) : @default;

    /// <summary>A boolean, or one of the strings true/false/yes/no/on/off.</summary>
    public bool GetBoolean(string path) => AsBoolean(Require(path), path);

    public bool GetBoolean(string path, bool @default) => Find(path) is { } v ? AsBoolean(v, path) : @default;

    /// <summary>A duration such as <c>500ms</c>, <c>5 s</c>, <c>1.5h</c>; a bare number means milliseconds.</summary>
    public TimeSpan GetTimeSpan(string path) => UnitParser.Duration(Require(path), path);

    public TimeSpan GetTimeSpan(string path, TimeSpan @default) => Find(path) is { } v ? UnitParser.Duration(v, path) : @default;

    /// <summary>A size in bytes such as <c>64K</c> (powers of two), <c>10 kB</c> (powers of ten), <c>4 MiB</c>; a bare number means bytes.</summary>
    public long GetByteSize(string path) => UnitParser.ByteSize(Require(path), path);

    public long GetByteSize(string path, long @default) => Find(path) is { } v ? UnitParser.ByteSize(v, path) : @default;

    public IReadOnlyList<string> GetStringList(string path) => AsList(Require(path), path, AsString);

    public IReadOnlyList<string> GetStringList(string path, IReadOnlyList<string> @default) =>
        Find(path) is { } v ? AsList(v, path, AsString) : @default;

    public IReadOnlyList<int> GetIntList(string path) => AsList(Require(path), path, AsInt);

    public IReadOnlyList<int> GetIntList(string path, IReadOnlyList<int> @default) =>
        Find(path) is { } v ? AsList(v, path, AsInt) : @default;

    /// <summary>The object at <paramref name="path"/> as a configuration of its own; empty when the path is missing.</summary>
    public Config GetConfig(string path) =>
        Find(path) is { } v ? new Config(AsObject(v, path), _environment) : Empty;

    public HoconObject GetObject(string path) => AsObject(Require(path), path);

    private HoconValue? Find(string path) =>
        TryGetField(path, out var field) && field.Value is not HoconNull ? field.Value : null;

    private HoconValue Require(string path) =>
        Find(path) ?? throw ConfigErrors.MissingPath(TryGetField(path, out var f) ? f.Origin : Root.Origin, path);

    private static string AsString(HoconValue value, string path) => value switch
    {
        HoconString s => s.Value,
        HoconNumber or HoconBoolean => Concatenator.TextOf(value),
        _ => throw ConfigErrors.WrongType(value.Origin, path, "a string", value),
    };

    private static long AsLong(HoconValue value, string path)
    {
        var number = AsNumber(value, path, "an integer");
        if (!number.IsIntegral)
            throw ConfigErrors.WrongType(value.Origin, path, "an integer", value);
        return number.LongValue;
    }

    private static int AsInt(HoconValue value, string path)
    {
        long l = AsLong(value, path);
        return l is >= int.MinValue and <= int.MaxValue
            ? (int)l
            : throw ConfigErrors.OutOfRange(value.Origin, path, l.ToString(CultureInfo.InvariantCulture), "a 32-bit integer");
    }

    private static double AsDouble(HoconValue value, string path) => AsNumber(value, path, "a number").DoubleValue;

    /// <summary>A number, or a string that parses as one by JSON's rules.</summary>
    private static HoconNumber AsNumber(HoconValue value, string path, string expected) => value switch
    {
        HoconNumber n => n,
        HoconString s when HoconNumber.TryParse(s.Origin, s.Value.Trim()) is { } parsed => parsed,
        _ => throw ConfigErrors.WrongType(value.Origin, path, expected, value),
    };

    private static bool AsBoolean(HoconValue value, string path) => value switch
    {
        HoconBoolean b => b.Value,
        HoconString { Value: "true" or "yes" or "on" } => true,
        HoconString { Value: "false" or "no" or "off" } => false,
        _ => throw ConfigErrors.WrongType(value.Origin, path, "a boolean (true/false/yes/no/on/off)", value),
    };

    private static HoconObject AsObject(HoconValue value, string path) =>
        value as HoconObject ?? throw ConfigErrors.WrongType(value.Origin, path, "an object", value);

    /// <summary>
    /// An array, or an object whose keys are non-negative integers taken in numeric order
    /// (HOCON.md, "Conversion of numerically-indexed objects to arrays").
    /// </summary>
    private static IReadOnlyList<T> AsList<T>(HoconValue value, string path, Func<HoconValue, string, T> convert)
    {
        IReadOnlyList<HoconValue> items = value switch
        {
            HoconArray array => array.Items,
            HoconObject obj when Concatenator.AsArray(obj) is { } indexed => indexed.Items,
            _ => throw ConfigErrors.WrongType(value.Origin, path, "a list", value),
        };
        return items.Select((item, i) => convert(item, $"{path}[{i}]")).ToArray();
    }
}
