namespace Gpuvmsim.Configuration;

/// <summary>
/// One field of an object: its key, its value, and where the key was written. When a key is defined
/// several times, the field carries the origin of the definition that won.
/// </summary>
public sealed record HoconField(string Key, HoconValue Value, ConfigOrigin Origin);

/// <summary>An object: fields in the order their keys first appeared, at most one per key.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly Dictionary<string, HoconField> _byKey;
    private readonly bool _isResolved;

    internal HoconObject(ConfigOrigin origin, IReadOnlyList<HoconField> fields, bool ignoresFallbacks = false) : base(origin)
    {
        Fields = fields;
        IgnoresFallbacks = ignoresFallbacks;
        _byKey = new Dictionary<string, HoconField>(fields.Count, StringComparer.Ordinal);
        _isResolved = true;
        foreach (var field in fields)
        {
            _byKey.Add(field.Key, field);
            _isResolved &= field.Value.IsResolved;
        }
    }

    internal static HoconObject Empty(ConfigOrigin origin) => new(origin, []);

    public IReadOnlyList<HoconField> Fields { get; }

    public IEnumerable<string> Keys => Fields.Select(f => f.Key);

    public int Count => Fields.Count;

    public override HoconType Type => HoconType.Object;

    internal override bool IsResolved => _isResolved;

    /// <summary>
    /// True once the object has been merged over a non-object: that value hid everything below it, so nothing
    /// further down may merge into this object (HOCON.md: merging is done in pairs, objects must be adjacent).
    /// </summary>
    internal bool IgnoresFallbacks { get; }

    internal HoconObject WithIgnoresFallbacks() => IgnoresFallbacks ? this : new(Origin, Fields, ignoresFallbacks: true);

    /// <summary>Finds the field named <paramref name="key"/>; false when the object has none.</summary>
    public bool TryGetField(string key, out HoconField field) => _byKey.TryGetValue(key, out field!);

    /// <summary>The value of field <paramref name="key"/>, or null when the object has no such field.</summary>
    public HoconValue? this[string key] => _byKey.TryGetValue(key, out var field) ? field.Value : null;
}

/// <summary>An array of values.</summary>
public sealed class HoconArray : HoconValue
{
    private readonly bool _isResolved;

    internal HoconArray(ConfigOrigin origin, IReadOnlyList<HoconValue> items) : base(origin)
    {
        Items = items;
        _isResolved = items.All(i => i.IsResolved);
    }

    public IReadOnlyList<HoconValue> Items { get; }

    public override HoconType Type => HoconType.Array;

    internal override bool IsResolved => _isResolved;
}
