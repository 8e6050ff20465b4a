namespace Gpuvmsim.Configuration;

/// <summary>Substitutions and the path lookups they make.</summary>
internal sealed partial class Resolver
{
    private HoconValue? ResolveSubstitution(Substitution substitution, ResolveSource source)
    {
        // A substitution met again while it is being resolved is a cycle, whatever the lookup sees meanwhile
        // (the reference marks substitutions, not values); the enclosing substitution reports it.
        if (_chain.Any(s => ReferenceEquals(s, substitution)))
            throw new CycleSignal(substitution, [.. _chain]);
        _chain.Add(substitution);
        try
        {
            var found = Lookup(substitution.Path, source);
            // A substitution in an included file may also mean the path as that file wrote it.
            if (found is null && substitution.PrefixLength > 0)
                found = Lookup(substitution.Path.Skip(substitution.PrefixLength), source);
            found ??= FromEnvironment(substitution);
            if (found is not null)
                return found;
            return substitution.Optional
                ? null
                : throw ConfigErrors.UnresolvedSubstitution(substitution.Origin, substitution.ToString());
        }
        catch (CycleSignal cycle)
        {
            if (substitution.Optional)
                return null;
            throw ConfigErrors.SubstitutionCycle(substitution.Origin, substitution.ToString(), DescribeCycle(cycle));
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }

    /// <summary>The loop of substitutions, from the one that was re-entered back to itself.</summary>
    private static string DescribeCycle(CycleSignal cycle)
    {
        var chain = cycle.Chain.ToList();
        int start = cycle.Reentered is Substitution again ? chain.FindIndex(s => ReferenceEquals(s, again)) : -1;
        if (start >= 0)
            chain = [.. chain[start..], chain[start]];
        return string.Join(" -> ", chain.Select(s => s.ToString()));
    }

    /// <summary>Environment variables answer one-key paths that the configuration does not define (not even as null).</summary>
    private HoconString? FromEnvironment(Substitution substitution)
    {
        var path = substitution.Path.Skip(substitution.PrefixLength);
        if (path.Length != 1)
            return null;
        var value = _environment(path[0]);
        return value is null ? null : new HoconString(substitution.Origin, value);
    }

    /// <summary>The resolved value at <paramref name="path"/>, or null when nothing is defined there.</summary>
    private HoconValue? Lookup(HoconPath path, ResolveSource source)
    {
        HoconValue current = source.Root;
        foreach (var key in path.Keys)
        {
            var child = Replaced(Child(current, key, source), source);
            if (child is null)
                return null;
            current = child;
        }
        return Resolve(current, source);
    }

    /// <summary>What <paramref name="value"/> reads as in <paramref name="source"/>: a stack being resolved reads as its remainder.</summary>
    private static HoconValue? Replaced(HoconValue? value, ResolveSource source) =>
        value is MergeStack stack && source.TryGetReplacement(stack, out var replacement) ? replacement : value;

    /// <summary>
    /// The (possibly unresolved) value of <paramref name="key"/> inside <paramref name="container"/>, resolving only
    /// as much of the container as it takes to know it.
    /// </summary>
    private HoconValue? Child(HoconValue container, string key, ResolveSource source)
    {
        switch (container)
        {
            // Once an object or a stack is resolved, lookups see its result, as in the reference: a field that
            // resolved to nothing (b.c = ${?b}) is then absent.
            case HoconObject or MergeStack when _memo.TryGetValue(container, out var done):
                return (done as HoconObject)?[key];
            case HoconObject obj:
                return obj[key];
            case MergeStack stack:
                return PeekStack(stack, key, source);
            case Substitution or Concatenation:
                return Resolve(container, source) is HoconObject resolved ? resolved[key] : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The definitions of <paramref name="key"/> across a stack's layers, as one (possibly stacked) value. As in the
    /// reference, a definition from an object layer that still holds substitutions, and that could still merge
    /// with layers below, is not found when a value that is no object comes below it; one that ignores fallbacks
    /// (<c>e = 5</c>, <c>e = ${?x}</c> included) is found.
    /// </summary>
    private HoconValue? PeekStack(MergeStack stack, string key, ResolveSource source)
    {
        var definitions = new List<HoconValue>();
        bool fromUnresolvedLayer = false;
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            if (stack.Layers[i] is not HoconObject && !Merger.IsPending(stack.Layers[i]))
                return fromUnresolvedLayer ? null : MergeStack.Create(definitions);
            var layer = ResolveLayer(stack, i, source);
            if (layer is null)
                continue;
            // An object layer already resolved (the stack is resolved layer by layer) is seen as resolved.
            if (layer is HoconObject)
                layer = ResolvedSoFar(layer);
            if (layer is not HoconObject obj)
                return fromUnresolvedLayer ? null : MergeStack.Create(definitions);
            var value = Replaced(obj[key], source);
            if (value is not null)
            {
                definitions.Add(value);
                fromUnresolvedLayer |= !obj.IsResolved;
            }
            if (obj.IgnoresFallbacks || (value is not null && Merger.IgnoresFallbacks(value)))
                break;
        }
        return MergeStack.Create(definitions);
    }
}
