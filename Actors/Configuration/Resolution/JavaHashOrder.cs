namespace Gpuvmsim.Configuration;

/// <summary>
/// The order in which the reference implementation visits an object's keys while resolving: that of a Java
/// <c>HashMap</c> filled key by key (buckets by <c>String.hashCode</c>, spread and masked by a table of 16 slots
/// doubled at 75% load; keys of one bucket in the order they were added). The rendered output never depends on it,
/// but which of several faults is reported, and where a cycle is reported, do.
/// </summary>
internal static class JavaHashOrder
{
    /// <summary>The indexes of <paramref name="keys"/> in the order the reference visits them.</summary>
    public static int[] Of(IReadOnlyList<string> keys)
    {
        int capacity = 16;
        while (keys.Count > capacity * 3 / 4)
            capacity *= 2;
        var order = new int[keys.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        // A stable sort keeps keys of one bucket in insertion order.
        return [.. order.OrderBy(i => Bucket(keys[i], capacity))];
    }

    private static int Bucket(string key, int capacity)
    {
        int h = 0;
        foreach (char c in key)
            h = unchecked(31 * h + c);
        h ^= (int)((uint)h >> 16);
        return h & (capacity - 1);
    }
}
