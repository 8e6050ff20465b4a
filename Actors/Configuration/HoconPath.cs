namespace Gpuvmsim.Configuration;

/// <summary>
/// A path through the object tree: <c>a.b."c.d"</c> is the three keys <c>a</c>, <c>b</c> and <c>c.d</c>.
/// Immutable; paths compare by their keys.
/// </summary>
public sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _keys;

    public HoconPath(IEnumerable<string> keys) => _keys = keys.ToArray();

    /// <summary>The empty path: the root object itself.</summary>
    public static HoconPath Root { get; } = new([]);

    public IReadOnlyList<string> Keys => _keys;

    public int Length => _keys.Length;

    public string this[int index] => _keys[index];

    public HoconPath Append(string key) => new([.. _keys, key]);

    public HoconPath Concat(HoconPath tail) => new([.. _keys, .. tail._keys]);

    /// <summary>The path without its first <paramref name="count"/> keys.</summary>
    public HoconPath Skip(int count) => new(_keys.Skip(count));

    /// <summary>
    /// Parses a path expression as a getter receives it (<c>akka.actor."my.key"</c>), with the rules of keys in a file.
    /// Throws <see cref="ConfigException"/> for an invalid expression.
    /// </summary>
    public static HoconPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return PathExpressionParser.Parse(expression);
    }

    /// <summary>The path as HOCON would write it, quoting keys that need it.</summary>
    public override string ToString() =>
        string.Join('.', _keys.Select(k => NeedsQuotes(k) ? JsonRenderer.Quote(k) : k));

    private static bool NeedsQuotes(string key) =>
        key.Length == 0 || key.Any(c => c == '.' || Tokenizer.IsForbiddenInUnquoted(c) || Tokenizer.IsHoconWhitespace(c))
        || key.Contains("//", StringComparison.Ordinal);

    public bool Equals(HoconPath? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in _keys)
            hash.Add(key, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
