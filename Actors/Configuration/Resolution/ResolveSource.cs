using System.Runtime.CompilerServices;

namespace Gpuvmsim.Configuration;

/// <summary>
/// The tree substitutions are looked up in: the configuration root, with some merge stacks replaced.
/// While layer i of a field's merge stack is resolved, that stack reads as the merge of the layers below i,
/// which is how a self-reference (<c>a = ${a} [3]</c>, <c>a += 3</c>) sees the previous value
/// (HOCON.md, "Self-Referential Substitutions"). The stack is recognised wherever a lookup meets it, inside
/// arrays too, but only as itself: definitions of one key in separate object layers of an enclosing stack form
/// no stack of their own, so a self-reference across such layers is a cycle, as in the reference implementation.
/// Sources are interned per (stack, layer), so that a stack's remainder is always the same value.
/// </summary>
internal sealed class ResolveSource
{
    private readonly ResolveSource? _parent;
    private readonly MergeStack? _replaced;
    private readonly HoconValue? _replacement;
    private readonly ConditionalWeakTable<MergeStack, Dictionary<int, ResolveSource>> _children = new();

    private ResolveSource(HoconObject root, ResolveSource? parent, MergeStack? replaced, HoconValue? replacement)
    {
        Root = root;
        _parent = parent;
        _replaced = replaced;
        _replacement = replacement;
    }

    public static ResolveSource For(HoconObject root) => new(root, null, null, null);

    public HoconObject Root { get; }

    /// <summary>This source with <paramref name="stack"/> reading as its layers from <paramref name="firstLayer"/> down.</summary>
    public ResolveSource Below(MergeStack stack, int firstLayer)
    {
        var byLayer = _children.GetOrCreateValue(stack);
        if (!byLayer.TryGetValue(firstLayer, out var child))
        {
            var remainder = MergeStack.Create(stack.Layers.Skip(firstLayer));
            child = new ResolveSource(Root, this, stack, remainder);
            byLayer.Add(firstLayer, child);
        }
        return child;
    }

    /// <summary>
    /// True when <paramref name="stack"/> is replaced in this source; <paramref name="replacement"/> is then what it
    /// reads as, or null when nothing is below (the field reads as absent).
    /// </summary>
    public bool TryGetReplacement(MergeStack stack, out HoconValue? replacement)
    {
        for (var source = this; source is not null; source = source._parent)
        {
            if (ReferenceEquals(source._replaced, stack))
            {
                replacement = source._replacement;
                return true;
            }
        }
        replacement = null;
        return false;
    }
}
