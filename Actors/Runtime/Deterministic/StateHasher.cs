using System.Numerics;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>Implemented by actors (and optionally messages) whose state takes part in
/// <see cref="DeterministicDriver.ComputeStateHash"/>: add every field that matters for future behavior.</summary>
public interface IStateHashable
{
    void AddState(ref StateHasher hasher);
}

/// <summary>Adds one message to a state hash (see <see cref="DeterministicDriver.ComputeStateHash"/>).</summary>
public delegate void MessageHasher(ref StateHasher hasher, object? message);

/// <summary>
/// A 64-bit incremental hash with xxHash64's round and final avalanche. Strings use a stable FNV-1a over their UTF-16
/// code units (never the per-process randomised <see cref="string.GetHashCode()"/>); objects that are not
/// <see cref="IStateHashable"/> fall back to their own <c>GetHashCode()</c>, which is only stable within one process
/// for types that hash strings (records with string fields) — fine for pruning within one exploration.
/// </summary>
public struct StateHasher
{
    private const ulong Prime1 = 11400714785074694791UL;
    private const ulong Prime2 = 14029467366897019727UL;
    private const ulong Prime4 = 9650029242287828579UL;
    private const ulong Prime5 = 2870177450012600261UL;

    private ulong _acc;
    private long _length;

    public StateHasher() => _acc = Prime5;

    public void Add(long value)
    {
        ulong k = (ulong)value * Prime2;
        k = BitOperations.RotateLeft(k, 31) * Prime1;
        _acc ^= k;
        _acc = BitOperations.RotateLeft(_acc, 27) * Prime1 + Prime4;
        _length++;
    }

    public void Add(int value) => Add((long)value);

    public void Add(bool value) => Add(value ? 1L : 0L);

    /// <summary>Adds a string by a stable hash (null and empty differ).</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            Add(-1L);
            return;
        }
        Add(StableHash(value));
        Add(value.Length);
    }

    /// <summary>Adds a message or any value: <see cref="IStateHashable"/> contributes its fields (after its type name),
    /// strings and primitives their value, actor refs their id, anything else its type name and <c>GetHashCode()</c>.</summary>
    public void Add(object? value)
    {
        switch (value)
        {
            case null: Add(0x6E756C6CL); break;
            case IStateHashable hashable:
                Add(value.GetType().FullName);
                hashable.AddState(ref this);
                break;
            case string s: Add(s); break;
            case long l: Add(l); break;
            case int i: Add(i); break;
            case bool b: Add(b); break;
            case InternalActorRef r:
                Add(0x726566L);
                Add(r.Id);
                break;
            default:
                Add(value.GetType().FullName);
                Add(value.GetHashCode());
                break;
        }
    }

    /// <summary>The hash of everything added so far.</summary>
    public readonly ulong Value
    {
        get
        {
            ulong h = _acc + (ulong)_length;
            h ^= h >> 33;
            h *= Prime2;
            h ^= h >> 29;
            h *= 1609587929392839161UL;
            h ^= h >> 32;
            return h;
        }
    }

    /// <summary>64-bit FNV-1a of the UTF-16 code units: the same on every run and platform.</summary>
    public static long StableHash(string value)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in value)
        {
            h = (h ^ (byte)c) * 1099511628211UL;
            h = (h ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return (long)h;
    }
}
