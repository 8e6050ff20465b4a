using System.Collections.Immutable;

namespace Gpuvmsim.Messages;

/// <summary>
/// Content equality and hashing for the arrays inside protocol records. A record's generated equality compares an
/// <see cref="ImmutableArray{T}"/> by reference, so two equal messages built by two runs would differ — and an
/// exhaustive search that recognises states already explored by their hash would never recognise one.
/// </summary>
public static class Structural
{
    public static bool Equal<T>(ImmutableArray<T> a, ImmutableArray<T> b) =>
        a.IsDefault ? b.IsDefault : !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan());

    public static int Hash<T>(ImmutableArray<T> items)
    {
        var h = new HashCode();
        if (!items.IsDefault)
        {
            foreach (var item in items)
                h.Add(item);
        }
        return h.ToHashCode();
    }
}
