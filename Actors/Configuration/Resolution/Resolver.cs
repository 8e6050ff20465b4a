using System.Runtime.CompilerServices;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Replaces every substitution of a merged configuration by its value (HOCON.md, "Substitutions" and
/// "Self-Referential Substitutions"). Lookups start at the root, walk only the fields on the path
/// (so <c>bar { foo = 42, baz = ${bar.foo} }</c> works), fall back to the unprefixed path for included
/// files and then to environment variables. Every (value, source) pair is resolved once and memoized, so
/// two references to one substitution always agree. Re-entering a pair that is still being resolved is a
/// cycle: the nearest enclosing substitution turns it into "undefined" when optional, an error otherwise.
/// </summary>
internal sealed partial class Resolver
{
    /// <summary>Deeper than this, a chain of lookups is reported instead of overflowing the stack.</summary>
    private const int MaxDepth = 400;

    private readonly Func<string, string?> _environment;
    private readonly Dictionary<(HoconValue, ResolveSource), HoconValue?> _memo = new(ReferencePairComparer.Instance);
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
        return (HoconObject)resolver.Resolve(root, HoconPath.Root, ResolveSource.For(root))!;
    }

    /// <summary>
    /// The resolved form of <paramref name="value"/>, which sits at <paramref name="path"/> (null inside arrays),
    /// or null when it is undefined (an optional substitution to nothing).
    /// </summary>
    private HoconValue? Resolve(HoconValue value, HoconPath? path, ResolveSource source)
    {
        if (value.IsResolved)
            return value;
        var key = (value, source);
        if (_memo.TryGetValue(key, out var known))
            return known;
        if (!_inProgress.Add(key))
            throw new CycleSignal(value, [.. _chain]);
        if (++_depth > MaxDepth)
            throw ConfigErrors.ResolutionTooDeep(_chain.Count > 0 ? _chain[^1].Origin : value.Origin);
        try
        {
            var result = value switch
            {
                HoconObject obj => ResolveObject(obj, path, source),
                HoconArray array => ResolveArray(array, source),
                Substitution substitution => ResolveSubstitution(substitution, source),
                Concatenation concatenation => ResolveConcatenation(concatenation, path, source),
                MergeStack stack => ResolveStack(stack, path, source),
                _ => throw new InvalidOperationException($"unexpected {value.GetType().Name}"),
            };
            _memo[key] = result;
            return result;
        }
        finally
        {
            _inProgress.Remove(key);
            _depth--;
        }
    }

    private HoconObject ResolveObject(HoconObject obj, HoconPath? path, ResolveSource source)
    {
        var fields = new List<HoconField>(obj.Count);
        foreach (var field in obj.Fields)
        {
            var value = Resolve(field.Value, path?.Append(field.Key), source);
            if (value is not null)
                fields.Add(field with { Value = value });
        }
        return new HoconObject(obj.Origin, fields, obj.IgnoresFallbacks);
    }

    private HoconArray ResolveArray(HoconArray array, ResolveSource source)
    {
        var items = new List<HoconValue>(array.Items.Count);
        foreach (var item in array.Items)
        {
            var value = Resolve(item, null, source);
            if (value is not null)
                items.Add(value);
        }
        return new HoconArray(array.Origin, items);
    }

    private HoconValue? ResolveConcatenation(Concatenation concatenation, HoconPath? path, ResolveSource source)
    {
        var pieces = new List<HoconValue>(concatenation.Pieces.Count);
        foreach (var piece in concatenation.Pieces)
        {
            var value = Resolve(piece, path, source);
            if (value is not null)
                pieces.Add(value);
        }
        // foo = ${?a}${?b} with both undefined: the field is not created at all. Whitespace between them is a
        // piece of its own, so "${?a} ${?b}" is " ", as the reference implementation also has it.
        return Concatenator.Join(pieces);
    }

    /// <summary>
    /// A field defined several times. Substitution layers are resolved seeing only the layers below them;
    /// a resolved non-object hides everything below it and is never looked past (so a hidden substitution is
    /// never evaluated); object layers above it merge key by key, each key again as a stack.
    /// </summary>
    private HoconValue? ResolveStack(MergeStack stack, HoconPath? path, ResolveSource source)
    {
        var objects = new List<HoconObject>();
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            var layer = ResolveLayer(stack, i, path, source);
            if (layer is null)
                continue;
            if (layer is not HoconObject obj)
                return objects.Count == 0 ? layer : MergeObjectLayers(objects, path, source);
            objects.Add(obj);
        }
        return objects.Count == 0 ? null : MergeObjectLayers(objects, path, source);
    }

    /// <summary>Layer <paramref name="index"/> of a stack: objects as they are, anything else resolved against the layers below.</summary>
    private HoconValue? ResolveLayer(MergeStack stack, int index, HoconPath? path, ResolveSource source)
    {
        var layer = stack.Layers[index];
        if (layer is HoconObject || layer.IsResolved)
            return layer;
        return Resolve(layer, path, path is null ? source : source.Below(stack, index + 1, path));
    }

    private HoconObject MergeObjectLayers(List<HoconObject> objects, HoconPath? path, ResolveSource source)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = objects.Count - 1; i >= 0; i--)
            foreach (var field in objects[i].Fields)
                if (seen.Add(field.Key))
                    keys.Add(field.Key);

        var fields = new List<HoconField>(keys.Count);
        foreach (var key in keys)
        {
            var definitions = objects.Select(o => o.TryGetField(key, out var f) ? f : null).OfType<HoconField>().ToList();
            var value = Resolve(MergeStack.Create(definitions.Select(d => d.Value))!, path?.Append(key), source);
            if (value is null)
                continue;
            // As in FieldAccumulator: merged objects keep their first key, a replaced value its latest.
            var origin = value is HoconObject ? definitions.Last(d => d.Value is HoconObject).Origin : definitions[0].Origin;
            fields.Add(new HoconField(key, value, origin));
        }
        return new HoconObject(objects[^1].Origin, fields);
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
