using System.Runtime.CompilerServices;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Replaces every substitution of a merged configuration by its value (HOCON.md, "Substitutions" and
/// "Self-Referential Substitutions"). Lookups start at the root, walk only the fields on the path
/// (so <c>bar { foo = 42, baz = ${bar.foo} }</c> works), fall back to the unprefixed path for included
/// files and then to environment variables. Every value is resolved once and memoized, whatever it was looked up
/// through, as the reference implementation does: a value first reached while a self-reference is being resolved
/// keeps what it resolved to then. Re-entering a (value, source) pair that is still being resolved is a cycle: the
/// nearest enclosing substitution turns it into "undefined" when optional, an error otherwise.
/// </summary>
internal sealed partial class Resolver
{
    /// <summary>Deeper than this, a chain of lookups is reported instead of overflowing the stack.</summary>
    private const int MaxDepth = 400;

    private readonly Func<string, string?> _environment;
    private readonly Dictionary<HoconValue, HoconValue?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<(HoconValue, ResolveSource)> _inProgress = new(ReferencePairComparer.Instance);
    /// <summary>The substitutions being resolved, outermost first; a cycle error lists them.</summary>
    private readonly List<Substitution> _chain = [];
    private int _depth;

    private Resolver(Func<string, string?> environment) => _environment = environment;

    /// <summary>The fully resolved <paramref name="root"/>; throws <see cref="ConfigException"/> naming the failing substitution.</summary>
    public static HoconObject ResolveRoot(HoconObject root, Func<string, string?> environment)
    {
        if (root.IsResolved)
            return root;
        var resolver = new Resolver(environment);
        return (HoconObject)resolver.Resolve(root, ResolveSource.For(root))!;
    }

    /// <summary>The resolved form of <paramref name="value"/>, or null when it is undefined (an optional substitution to nothing).</summary>
    private HoconValue? Resolve(HoconValue value, ResolveSource source)
    {
        if (value.IsResolved)
            return value;
        if (value is MergeStack replaced && source.TryGetReplacement(replaced, out var replacement))
            return replacement is null ? null : Resolve(replacement, source);
        if (_memo.TryGetValue(value, out var known))
            return known;
        var key = (value, source);
        if (!_inProgress.Add(key))
            throw new CycleSignal(value, [.. _chain]);
        if (++_depth > MaxDepth)
            throw ConfigErrors.ResolutionTooDeep(_chain.Count > 0 ? _chain[^1].Origin : value.Origin);
        try
        {
            var result = value switch
            {
                HoconObject obj => ResolveObject(obj, source),
                HoconArray array => ResolveArray(array, source),
                Substitution substitution => ResolveSubstitution(substitution, source),
                Concatenation concatenation => ResolveConcatenation(concatenation, source),
                MergeStack stack => ResolveStack(stack, source),
                _ => throw new InvalidOperationException($"unexpected {value.GetType().Name}"),
            };
            // Like the reference, which cannot tell a remembered "undefined" from nothing remembered.
            if (result is not null)
                _memo[value] = result;
            return result;
        }
        finally
        {
            _inProgress.Remove(key);
            _depth--;
        }
    }

    /// <summary>What <paramref name="value"/> resolved to if it has been resolved already, else the value itself.</summary>
    private HoconValue ResolvedSoFar(HoconValue value) => _memo.TryGetValue(value, out var done) && done is not null ? done : value;

    /// <summary>Resolves the fields in the reference's order (so the same fault is reported first) and keeps them in theirs.</summary>
    private HoconObject ResolveObject(HoconObject obj, ResolveSource source)
    {
        var resolved = new Dictionary<string, HoconValue?>(obj.Count, StringComparer.Ordinal);
        foreach (var field in JavaHashOrder.FieldsOf(obj))
            resolved[field.Key] = Resolve(field.Value, source);
        var fields = new List<HoconField>(obj.Count);
        foreach (var field in obj.Fields)
        {
            if (resolved[field.Key] is { } value)
                fields.Add(field with { Value = value });
        }
        return new HoconObject(obj.Origin, fields, obj.IgnoresFallbacks, obj.InsertionOrder);
    }

    private HoconArray ResolveArray(HoconArray array, ResolveSource source)
    {
        var items = new List<HoconValue>(array.Items.Count);
        foreach (var item in array.Items)
        {
            var value = Resolve(item, source);
            if (value is not null)
                items.Add(value);
        }
        return new HoconArray(array.Origin, items);
    }

    private HoconValue? ResolveConcatenation(Concatenation concatenation, ResolveSource source)
    {
        var pieces = new List<HoconValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            var value = Resolve(piece, source);
            if (value is not null)
                pieces.Add(value);
        }
        // foo = ${?a}${?b} with both undefined: the field is not created at all. Whitespace between them is a
        // piece of its own, so "${?a} ${?b}" is " ", as the reference implementation also has it.
        return Concatenator.Join(pieces);
    }

    /// <summary>
    /// A field defined several times. Substitution layers are resolved seeing only the layers below them;
    /// a non-object hides everything below it and is never looked past (so a hidden substitution is never
    /// evaluated, and a plain value under objects is not even resolved); object layers above it merge key by key,
    /// each key again as a stack. An object that was itself merged over a non-object hides what is below it too.
    /// </summary>
    private HoconValue? ResolveStack(MergeStack stack, ResolveSource source)
    {
        var objects = new List<HoconObject>();
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            if (objects.Count > 0 && stack.Layers[i] is not HoconObject && !Merger.IsPending(stack.Layers[i]))
                return MergeObjectLayers(objects, source, ignoresFallbacks: true);
            var layer = ResolveLayer(stack, i, source);
            if (layer is null)
                continue;
            if (layer is not HoconObject obj)
                return objects.Count == 0 ? layer : MergeObjectLayers(objects, source, ignoresFallbacks: true);
            // The reference resolves a stack layer by layer, so of faults in the upper object and in a layer below,
            // the upper one is reported. Nothing above the first object can hide its fields, so resolving it first
            // evaluates no hidden substitution; the fields of lower objects are resolved only where they are seen,
            // unless a lookup (a self-reference) has resolved that object already.
            objects.Add(objects.Count == 0 ? (HoconObject)Resolve(obj, source)! : (HoconObject)ResolvedSoFar(obj));
            if (obj.IgnoresFallbacks)
                return MergeObjectLayers(objects, source, ignoresFallbacks: true);
        }
        return objects.Count == 0 ? null : MergeObjectLayers(objects, source, ignoresFallbacks: false);
    }

    /// <summary>
    /// Layer <paramref name="index"/> of a stack: objects as they are, anything else resolved. A substitution, a
    /// concatenation or a nested stack sees the stack as the layers below it (a self-reference); an array sees the
    /// tree as it is, so a self-reference inside it is a cycle, as in the reference implementation.
    /// </summary>
    private HoconValue? ResolveLayer(MergeStack stack, int index, ResolveSource source)
    {
        var layer = stack.Layers[index];
        if (layer is HoconObject || layer.IsResolved)
            return layer;
        return Resolve(layer, Merger.IsPending(layer) ? source.Below(stack, index + 1) : source);
    }

    private HoconObject MergeObjectLayers(List<HoconObject> objects, ResolveSource source, bool ignoresFallbacks)
    {
        // Fields in order of first appearance, from the oldest layer; the reference's HashMap gets the latest layer's first.
        var keys = HoconObject.FirstOccurrences(objects.AsEnumerable().Reverse().SelectMany(o => o.Keys));
        var insertionOrder = HoconObject.FirstOccurrences(objects.SelectMany(o => o.InsertionOrder));

        var merged = new Dictionary<string, HoconField?>(keys.Count, StringComparer.Ordinal);
        foreach (int i in JavaHashOrder.Of(insertionOrder))
            merged[insertionOrder[i]] = MergeKey(objects, insertionOrder[i], source);
        return new HoconObject(objects[^1].Origin, [.. keys.Select(k => merged[k]).OfType<HoconField>()], ignoresFallbacks, insertionOrder);
    }

    /// <summary>
    /// The resolved merge of <paramref name="key"/> across object layers; null when it resolves to nothing. The
    /// definitions stay whole layers of a new stack, so a stack among them keeps its own self-references, while the
    /// new stack is never replaced: a self-reference across layers is a cycle, as in the reference implementation.
    /// </summary>
    private HoconField? MergeKey(List<HoconObject> objects, string key, ResolveSource source)
    {
        var definitions = objects.Select(o => o.TryGetField(key, out var f) ? f : null).OfType<HoconField>().ToList();
        var value = Resolve(MergeStack.Create(definitions.Select(d => d.Value), flatten: false)!, source);
        if (value is null)
            return null;
        // As in FieldAccumulator: merged objects keep their first key, a replaced value its latest.
        var origin = value is HoconObject ? (definitions.LastOrDefault(d => d.Value is HoconObject) ?? definitions[0]).Origin : definitions[0].Origin;
        return new HoconField(key, value, origin);
    }

    /// <summary>Thrown when a (value, source) pair is re-entered; caught by the nearest substitution being resolved.</summary>
    private sealed class CycleSignal(HoconValue reentered, IReadOnlyList<Substitution> chain) : Exception
    {
        public HoconValue Reentered { get; } = reentered;

        public IReadOnlyList<Substitution> Chain { get; } = chain;
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(HoconValue, ResolveSource)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((HoconValue, ResolveSource) x, (HoconValue, ResolveSource) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((HoconValue, ResolveSource) pair) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(pair.Item1), RuntimeHelpers.GetHashCode(pair.Item2));
    }
}
