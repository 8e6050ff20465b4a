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

    /// <param name="insertionOrder">See <see cref="InsertionOrder"/>; keys that are no field are skipped, and fields it
    /// does not name follow in their own order. Null means the order of <paramref name="fields"/>.</param>
    internal HoconObject(ConfigOrigin origin, IReadOnlyList<HoconField> fields, bool ignoresFallbacks = false,
        IReadOnlyList<string>? insertionOrder = null) : base(origin)
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
        if (insertionOrder is not null)
            _insertionOrder = FirstOccurrences(insertionOrder.Where(_byKey.ContainsKey).Concat(Keys));
    }

    /// <summary>Set only by a merge, whose order differs from that of <see cref="Fields"/>.</summary>
    private readonly IReadOnlyList<string>? _insertionOrder;

    /// <summary><paramref name="keys"/> without repetitions, each where it first occurs.</summary>
    internal static List<string> FirstOccurrences(IEnumerable<string> keys)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. keys.Where(seen.Add)];
    }

    /// <summary>
    /// The keys in the order the reference implementation fills its <c>HashMap</c>: that of <see cref="Fields"/>, except
    /// that merging two objects adds the later one's keys first. It decides the order in which fields are resolved,
    /// numeric keys of equal value are rendered, and such keys give an array its elements (<see cref="JavaHashOrder"/>).
    /// </summary>
    internal IReadOnlyList<string> InsertionOrder => _insertionOrder ?? [.. Keys];

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

    internal HoconObject WithIgnoresFallbacks() => IgnoresFallbacks ? this : new(Origin, Fields, ignoresFallbacks: true, _insertionOrder);

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
