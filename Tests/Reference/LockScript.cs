using System.Text;
using Gpuvmsim.Locking;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Reference;

/// <summary>The lock kinds of the normative lock-script subset (cli-contract.md).</summary>
internal enum RefKind
{
    Mutex,
    Spinlock,
    WwMutex,
}

/// <summary>The steps a lock script may use.</summary>
internal enum RefOp
{
    Lock,
    Unlock,
    TryLock,
    Sleep,
}

/// <summary>A scripted lock and its lockdep class.</summary>
internal sealed record RefLock(string Name, RefKind Kind, string Class);

/// <summary>One step; <see cref="Lock"/> indexes <see cref="RefScript.Locks"/> (unused by sleep).</summary>
internal readonly record struct RefStep(RefOp Op, int Lock);

/// <summary>
/// A lock script as the reference checker sees it: its own data, independent of the explorer's types, so a
/// generated script can be rendered as HOCON for the explorer's parser and checked here without it.
/// </summary>
internal sealed record RefScript(string Name, IReadOnlyList<RefLock> Locks, IReadOnlyList<IReadOnlyList<RefStep>> Contexts)
{
    /// <summary>
    /// The class every ww-mutex of a script belongs to when none is given: the script's one implicit acquire context
    /// must be of one ww_class, and lockdep gives all mutexes of a ww_class one class (<c>ww_class->mutex_key</c>).
    /// </summary>
    public const string WwClass = "ww_class_mutex";

    public static RefLock NewLock(string name, RefKind kind) => new(name, kind, kind == RefKind.WwMutex ? WwClass : name);

    /// <summary>The script of a parsed lock-script scenario (its classes as the scenario declares them).</summary>
    public static RefScript From(ScenarioSpec spec)
    {
        if (!spec.IsLockScript)
            throw new ArgumentException($"{spec.Name} is not a lock script", nameof(spec));
        var locks = spec.Locks.Select(l => new RefLock(l.Name, KindOf(l.Kind), l.ClassName)).ToList();
        int IndexOf(string name) => locks.FindIndex(l => l.Name == name);
        var contexts = spec.Contexts.Select(c => (IReadOnlyList<RefStep>)c.Steps.Select(s => s switch
        {
            LockStep l => new RefStep(RefOp.Lock, IndexOf(l.Lock)),
            UnlockStep u => new RefStep(RefOp.Unlock, IndexOf(u.Lock)),
            TryLockStep t => new RefStep(RefOp.TryLock, IndexOf(t.Lock)),
            SleepStep => new RefStep(RefOp.Sleep, -1),
            _ => throw new ArgumentException($"{spec.Name}: step '{s.Kind}' is not a lock-script step"),
        }).ToList()).ToList();
        return new RefScript(spec.Name, locks, contexts);
    }

    /// <summary>The script in the scenario format (HOCON); a lock names its class only when it is not the default one,
    /// so a script of default classes is in the normative subset.</summary>
    public string ToHocon()
    {
        var w = new StringBuilder();
        w.Append("scenario {\n  name = \"").Append(Name).Append("\"\n  locks = [\n");
        foreach (var l in Locks)
        {
            w.Append("    { name = ").Append(l.Name).Append(", kind = ").Append(KindName(l.Kind));
            if (l.Class != NewLock(l.Name, l.Kind).Class)
                w.Append(", class = \"").Append(l.Class).Append('"');
            w.Append(" }\n");
        }
        w.Append("  ]\n  contexts = [\n");
        for (var c = 0; c < Contexts.Count; c++)
        {
            w.Append("    { name = T").Append(c + 1).Append(", steps = [");
            w.Append(string.Join(", ", Contexts[c].Select(s => s.Op switch
            {
                RefOp.Lock => $"{{ lock = {Locks[s.Lock].Name} }}",
                RefOp.Unlock => $"{{ unlock = {Locks[s.Lock].Name} }}",
                RefOp.TryLock => $"{{ trylock = {Locks[s.Lock].Name} }}",
                _ => "{ sleep = true }",
            })));
            w.Append("] }\n");
        }
        w.Append("  ]\n}\n");
        return w.ToString();
    }

    public override string ToString() => ToHocon();

    private static RefKind KindOf(LockKind kind) => kind switch
    {
        LockKind.Mutex => RefKind.Mutex,
        LockKind.Spinlock => RefKind.Spinlock,
        LockKind.WwMutex => RefKind.WwMutex,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string KindName(RefKind kind) => kind switch
    {
        RefKind.Mutex => "mutex",
        RefKind.Spinlock => "spinlock",
        _ => "ww-mutex",
    };
}
