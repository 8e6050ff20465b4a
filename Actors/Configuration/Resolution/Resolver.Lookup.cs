namespace Gpuvmsim.Configuration;

/// <summary>Substitutions and the path lookups they make.</summary>
internal sealed partial class Resolver
{
    private HoconValue? ResolveSubstitution(Substitution substitution, ResolveSource source)
    {
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
        var at = HoconPath.Root;
        for (int i = 0; i < path.Length; i++)
        {
            var parent = at;
            at = at.Append(path[i]);
            HoconValue? child = source.TryGetReplacement(at, out var replacement)
                ? replacement
                : Child(current, path[i], parent, source);
            if (child is null)
                return null;
            current = child;
        }
        return Resolve(current, at, source);
    }

    /// <summary>
    /// The (possibly unresolved) value of <paramref name="key"/> inside <paramref name="container"/>, resolving only
    /// as much of the container as it takes to know it.
    /// </summary>
    private HoconValue? Child(HoconValue container, string key, HoconPath containerPath, ResolveSource source)
    {
        switch (container)
        {
            case HoconObject obj:
                return obj[key];
            case MergeStack stack:
                return PeekStack(stack, key, containerPath, source);
            case Substitution or Concatenation:
                return Resolve(container, containerPath, source) is HoconObject resolved ? resolved[key] : null;
            default:
                return null;
        }
    }

    /// <summary>The definitions of <paramref name="key"/> across a stack's layers, as one (possibly stacked) value.</summary>
    private HoconValue? PeekStack(MergeStack stack, string key, HoconPath stackPath, ResolveSource source)
    {
        var definitions = new List<HoconValue>();
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            var layer = ResolveLayer(stack, i, stackPath, source);
            if (layer is null)
                continue;
            if (layer is not HoconObject obj)
                break;
            var value = obj[key];
            if (value is null)
                continue;
            definitions.Add(value);
            if (value.IsResolved && value is not HoconObject)
                break;
        }
        return MergeStack.Create(definitions);
    }
}
