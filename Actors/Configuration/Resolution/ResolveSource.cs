using System.Runtime.CompilerServices;

namespace Gpuvmsim.Configuration;

/// <summary>
/// The tree substitutions are looked up in: the configuration root, with some fields replaced.
/// While layer i of a field's merge stack is resolved, that field reads as the merge of the layers below i,
/// which is how a self-reference (<c>a = ${a} [3]</c>, <c>a += 3</c>) sees the previous value
/// (HOCON.md, "Self-Referential Substitutions"). Sources are interned per (stack, layer) so that the
/// resolver's memo, keyed by source, hits for repeated lookups.
/// </summary>
internal sealed class ResolveSource
{
    private readonly ResolveSource? _parent;
    private readonly HoconPath? _replacedPath;
    private readonly HoconValue? _replacement;
    private readonly ConditionalWeakTable<MergeStack, Dictionary<int, ResolveSource>> _children = new();

    private ResolveSource(HoconObject root, ResolveSource? parent, HoconPath? replacedPath, HoconValue? replacement)
    {
        Root = root;
        _parent = parent;
        _replacedPath = replacedPath;
        _replacement = replacement;
    }

    public static ResolveSource For(HoconObject root) => new(root, null, null, null);

    public HoconObject Root { get; }

    /// <summary>This source with the field at <paramref name="path"/> reading as the layers of <paramref name="stack"/> from <paramref name="firstLayer"/> down.</summary>
    public ResolveSource Below(MergeStack stack, int firstLayer, HoconPath path)
    {
        var byLayer = _children.GetOrCreateValue(stack);
        if (!byLayer.TryGetValue(firstLayer, out var child))
        {
            var remainder = MergeStack.Create(stack.Layers.Skip(firstLayer));
            child = new ResolveSource(Root, this, path, remainder);
            byLayer.Add(firstLayer, child);
        }
        return child;
    }

    /// <summary>
    /// True when the field at <paramref name="path"/> is replaced in this source; <paramref name="replacement"/>
    /// is then its value, or null when nothing is below (the field reads as absent).
    /// </summary>
    public bool TryGetReplacement(HoconPath path, out HoconValue? replacement)
    {
        for (var source = this; source is not null; source = source._parent)
        {
            if (source._replacedPath is not null && source._replacedPath.Equals(path))
            {
                replacement = source._replacement;
                return true;
            }
        }
        replacement = null;
        return false;
    }
}
