namespace Gpuvmsim.Configuration;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Path"/> is absolute: a substitution parsed in an included
/// file has the include point's path in front, and <see cref="PrefixLength"/> says how many elements
/// that prefix has, so the resolver can also try the path as the included file wrote it (HOCON.md,
/// "Include semantics: substitution").
/// </summary>
internal sealed class Substitution(ConfigOrigin origin, HoconPath path, bool optional, int prefixLength) : HoconValue(origin)
{
    public HoconPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public int PrefixLength { get; } = prefixLength;

    public override HoconType Type => HoconType.Null;

    internal override bool IsResolved => false;

    public override string ToString() => Optional ? $"${{?{Path}}}" : $"${{{Path}}}";
}

/// <summary>
/// A value concatenation that holds at least one substitution, so it can only be joined once the
/// substitutions are known. Neighbouring pieces that are not substitutions were joined while parsing, and the
/// whitespace between two simple values is a piece of its own.
/// </summary>
internal sealed class Concatenation(ConfigOrigin origin, IReadOnlyList<HoconValue> pieces) : HoconValue(origin)
{
    public IReadOnlyList<HoconValue> Pieces { get; } = pieces;

    public override HoconType Type => HoconType.String;

    internal override bool IsResolved => false;
}

/// <summary>
/// Several definitions of one field that could not be merged while parsing because one of them is not
/// resolved yet. <see cref="Layers"/> runs from the winning (latest) definition down to the oldest; the
/// resolver merges them once each is resolved, and a self-reference in layer i sees only the layers below it.
/// </summary>
internal sealed class MergeStack : HoconValue
{
    private MergeStack(IReadOnlyList<HoconValue> layers) : base(layers[0].Origin) => Layers = layers;

    public IReadOnlyList<HoconValue> Layers { get; }

    public override HoconType Type => Layers[0].Type;

    internal override bool IsResolved => false;

    /// <summary>
    /// The merge of <paramref name="layers"/> (latest first): a single layer is itself; layers below a string, number,
    /// boolean, null or array, or below an object that ignores fallbacks, can never be seen and are dropped; nested
    /// stacks are flattened unless <paramref name="flatten"/> is false.
    /// </summary>
    public static HoconValue? Create(IEnumerable<HoconValue> layers, bool flatten = true)
    {
        var flat = new List<HoconValue>();
        foreach (var layer in layers)
        {
            if (flatten && layer is MergeStack nested)
                flat.AddRange(nested.Layers);
            else
                flat.Add(layer);
        }
        int hidingLayer = flat.FindIndex(l => l is HoconObject { IgnoresFallbacks: true } || (l is not HoconObject && !Merger.IsPending(l)));
        if (hidingLayer >= 0)
            flat.RemoveRange(hidingLayer + 1, flat.Count - hidingLayer - 1);
        return flat.Count switch
        {
            0 => null,
            1 => flat[0],
            _ => new MergeStack(flat),
        };
    }
}
