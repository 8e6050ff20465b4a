// DOC: The 64-bit state hash every model object adds itself to.
//
// Exploration deduplicates states by hash, so the hash must be the same in every process and on
// every run: this is a fixed mixing function over 64-bit words (the splitmix64 finaliser applied
// to an FNV-style running value), never string.GetHashCode or HashCode (both are randomised per
// process). Each state object exposes `AddState(ref ulong hash)` and feeds its fields, in a fixed
// order, through these helpers. No lock: pure functions.

namespace Gpuvmsim.Model;

/// <summary>Stable, non-randomised 64-bit hashing for model state.</summary>
public static class StableHash
{
    /// <summary>The starting value of a state hash.</summary>
    public const ulong Seed = 0xcbf29ce484222325UL;

    /// <summary>Mixes one 64-bit word into <paramref name="hash"/>.</summary>
    public static void Add(ref ulong hash, ulong value)
    {
        var x = (hash ^ value) * 0x100000001b3UL;
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        hash = x;
    }

    /// <summary>Mixes a signed word.</summary>
    public static void Add(ref ulong hash, long value) => Add(ref hash, unchecked((ulong)value));

    /// <summary>Mixes a boolean.</summary>
    public static void Add(ref ulong hash, bool value) => Add(ref hash, value ? 1UL : 0UL);

    /// <summary>Mixes an optional word, distinguishing null from every value.</summary>
    public static void Add(ref ulong hash, long? value)
    {
        Add(ref hash, value.HasValue);
        if (value.HasValue)
            Add(ref hash, value.Value);
    }

    /// <summary>Mixes a string through its UTF-16 code units (stable across processes).</summary>
    public static void Add(ref ulong hash, string value)
    {
        Add(ref hash, (ulong)value.Length);
        foreach (var c in value)
            Add(ref hash, (ulong)c);
    }
}
