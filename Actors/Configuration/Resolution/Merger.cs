namespace Gpuvmsim.Configuration;

/// <summary>
/// Merges two definitions of the same thing (HOCON.md, "Duplicate keys and object merging"): objects merge
/// field by field, a string, number, boolean, null or array simply wins, and when either side is a substitution
/// (or a concatenation holding one) the merge waits in a <see cref="MergeStack"/> until the resolver knows what it is.
/// <c>config.WithFallback</c>, duplicate keys and includes all merge through here.
/// </summary>
internal static class Merger
{
    /// <summary>The value of a field defined as <paramref name="bottom"/> and later as <paramref name="top"/>.</summary>
    public static HoconValue Merge(HoconValue top, HoconValue bottom)
    {
        if (top is HoconObject { IgnoresFallbacks: true })
            return top;
        if (top is HoconObject topObject && bottom is HoconObject bottomObject)
            return MergeObjects(topObject, bottomObject);
        if (top is not HoconObject && !IsPending(top))
            return top;
        // Like the reference, an object over a plain value hides it at once, unless the object still holds
        // substitutions: then the two stay layers of a stack until resolution (which changes what lookups see).
        if (top is HoconObject { IsResolved: true } objectOverValue && !IsPending(bottom))
            return objectOverValue.WithIgnoresFallbacks();
        return MergeStack.Create([top, bottom])!;
    }

    /// <summary>A value whose type is known only once it is resolved: a substitution, a concatenation holding one, or a stack.</summary>
    public static bool IsPending(HoconValue value) => value is Substitution or Concatenation or MergeStack;

    /// <summary>
    /// True when nothing defined below <paramref name="value"/> can merge into it, as the reference decides before
    /// resolving: an object marked so, any other resolved value, and a stack whose oldest layer is such a value.
    /// </summary>
    public static bool IgnoresFallbacks(HoconValue value) => value switch
    {
        HoconObject obj => obj.IgnoresFallbacks,
        MergeStack stack => IgnoresFallbacks(stack.Layers[^1]),
        _ => value.IsResolved,
    };

    private static HoconObject MergeObjects(HoconObject top, HoconObject bottom)
    {
        var fields = new FieldAccumulator();
        foreach (var field in bottom.Fields)
            fields.Add(field.Key, field.Value, field.Origin);
        foreach (var field in top.Fields)
            fields.Add(field.Key, field.Value, field.Origin);
        // A merged object is where it was first opened; its later parts only add to it. The reference adds the keys
        // of the later object to its HashMap first.
        return fields.ToObject(bottom.Origin, bottom.IgnoresFallbacks, [.. top.InsertionOrder, .. bottom.InsertionOrder]);
    }
}

/// <summary>Collects an object's fields in order of first appearance, merging a key defined again into its earlier value.</summary>
internal sealed class FieldAccumulator
{
    private readonly List<HoconField> _fields = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public void Add(string key, HoconValue value, ConfigOrigin origin)
    {
        if (_index.TryGetValue(key, out int at))
        {
            var earlier = _fields[at];
            // Objects that merge keep the key where it first appeared; a replaced value moves to its new definition.
            var keptOrigin = value is HoconObject && earlier.Value is HoconObject ? earlier.Origin : origin;
            _fields[at] = new HoconField(key, Merger.Merge(value, earlier.Value), keptOrigin);
            return;
        }
        _index.Add(key, _fields.Count);
        _fields.Add(new HoconField(key, value, origin));
    }

    public HoconObject ToObject(ConfigOrigin origin, bool ignoresFallbacks = false, IReadOnlyList<string>? insertionOrder = null) =>
        new(origin, _fields.ToArray(), ignoresFallbacks, insertionOrder);
}
