namespace Gpuvmsim.Configuration;

/// <summary>
/// The order in which the reference implementation visits an object's keys while resolving: that of a Java
/// <c>HashMap</c> filled key by key (buckets by <c>String.hashCode</c>, spread and masked by a table of 16 slots
/// doubled at 75% load; keys of one bucket in the order they were added). Which of several faults is reported, where
/// a cycle is reported, the rendered order of numeric keys of equal value (<c>"1"</c>, <c>"01"</c>), and which of them
/// gives an array its element when an object is read as an array, depend on it.
/// </summary>
internal static class JavaHashOrder
{
    /// <summary>The indexes of <paramref name="keys"/> in the order the reference visits them.</summary>
    public static int[] Of(IReadOnlyList<string> keys)
    {
        int capacity = 16;
        while (keys.Count > capacity * 3 / 4)
            capacity *= 2;
        // A stable sort keeps keys of one bucket in insertion order.
        return [.. Enumerable.Range(0, keys.Count).OrderBy(i => Bucket(keys[i], capacity))];
    }

    /// <summary>The fields of <paramref name="obj"/> in the order the reference iterates them.</summary>
    public static IEnumerable<HoconField> FieldsOf(HoconObject obj)
    {
        var keys = obj.InsertionOrder;
        foreach (int i in Of(keys))
        {
            obj.TryGetField(keys[i], out var field);
            yield return field;
        }
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
