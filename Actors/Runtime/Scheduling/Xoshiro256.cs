using System.Runtime.CompilerServices;

namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64: fast, small, and the same sequence on
/// every platform for a given seed (unlike <see cref="Random"/>, whose algorithm may change).
/// The generator runs one output ahead: <see cref="Next"/> returns the value computed by the previous call, so the
/// caller (the driver's choice of the next delivery) waits for one load instead of the scrambler's dependency chain,
/// and the next value is computed off the critical path. The sequence is exactly xoshiro256**'s.</summary>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private ulong _ahead;

    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _ahead = Step();
    }

    /// <summary>Mixes a seed and an iteration number into an independent seed.</summary>
    public static ulong Derive(ulong seed, int iteration)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(uint)(iteration + 1));
        return SplitMix64(ref x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        ulong result = _ahead;
        _ahead = Step();
        return result;
    }

    /// <summary>One xoshiro256** step: the output for the current state, then the state advanced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Step()
    {
        // Work on locals: updating the fields in place makes the JIT chain read-modify-writes through memory.
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
        return result;
    }

    /// <summary>A value in [0, <paramref name="bound"/>) by Lemire's multiply-shift (bias below 2^-32, irrelevant here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt(int bound) => (int)(((Next() >> 32) * (ulong)(uint)bound) >> 32);

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
