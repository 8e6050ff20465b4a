using FsCheck;
using FsCheck.Fluent;

namespace Gpuvmsim.Tests.Reference;

/// <summary>
/// Random lock scripts for the reference comparison: 2-4 locks of mixed kinds (a quarter of the scripts mostly
/// ww-mutexes, with three contexts), 2-3 contexts of 1-6 steps. Steps are
/// drawn from raw numbers and then shaped by what the context means to hold, so most scripts nest and release locks
/// the way real code does, and some unlock what they do not hold, take a held lock again, trylock, or sleep.
/// A tenth of the scripts put their last lock in the class of their first, whatever the two kinds, and a tenth give
/// their last ww-mutex a ww class of its own: lockdep's rules are per class, and both shapes once split the explorer
/// from the reference.
/// </summary>
internal static class LockScripts
{
    public static Arbitrary<RefScript> Scripts() => Arb.From(Generator, Shrink);

    private static readonly RefKind[] MixedKinds = [RefKind.Mutex, RefKind.Mutex, RefKind.Spinlock, RefKind.WwMutex];

    /// <summary>Mostly ww-mutexes, for three contexts: wait-die back-offs, re-runs and stamp orders.</summary>
    private static readonly RefKind[] WwKinds = [RefKind.Mutex, RefKind.WwMutex, RefKind.WwMutex, RefKind.WwMutex];

    private static Gen<RefScript> Generator =>
        from wwHeavy in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from kinds in Gen.Choose(2, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(wwHeavy ? WwKinds : MixedKinds), n))
        from raw in Gen.Choose(wwHeavy ? 3 : 2, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 6).SelectMany(len => Gen.ArrayOf(RawStep, len)), n))
        from tidy in Gen.Frequency((1, Gen.Constant(true)), (1, Gen.Constant(false)))
        from classes in Gen.Frequency((8, Gen.Constant(Classes.OwnClasses)), (1, Gen.Constant(Classes.SharedClass)), (1, Gen.Constant(Classes.SecondWwClass)))
        from id in Gen.Choose(0, 999_999)
        select Build($"gen-{id}", kinds, raw, tidy, classes);

    /// <summary>How a script's locks are put in lockdep classes.</summary>
    private enum Classes
    {
        /// <summary>Each lock its own class, all ww-mutexes one (the normative subset).</summary>
        OwnClasses,

        /// <summary>The last lock is in the first one's class.</summary>
        SharedClass,

        /// <summary>The last ww-mutex (of two or more) is in a second ww class.</summary>
        SecondWwClass,
    }

    private static Gen<(int Op, int Pick, int Bias)> RawStep =>
        from op in Gen.Choose(0, 99)
        from pick in Gen.Choose(0, 11)
        from bias in Gen.Choose(0, 99)
        select (op, pick, bias);

    /// <param name="tidy">Half of the scripts are tidy: they never take a held lock again, unlock only what they hold,
    /// innermost first, and release everything at the end (at most 6 steps), so clean and inverted orders are common.</param>
    private static RefScript Build(string name, RefKind[] kinds, (int Op, int Pick, int Bias)[][] raw, bool tidy, Classes classes)
    {
        var locks = kinds.Select((k, i) => RefScript.NewLock(((char)('A' + i)).ToString(), k)).ToList();
        PutInClasses(locks, classes);
        var contexts = raw.Select(steps => (IReadOnlyList<RefStep>)(tidy ? Tidy(steps, locks.Count) : Shape(steps, locks.Count))).ToList();
        return new RefScript(name, locks, contexts);
    }

    private static void PutInClasses(List<RefLock> locks, Classes classes)
    {
        if (classes == Classes.SharedClass)
        {
            locks[^1] = locks[^1] with { Class = locks[0].Class };
        }
        else if (classes == Classes.SecondWwClass && locks.Count(l => l.Kind == RefKind.WwMutex) >= 2)
        {
            var last = locks.FindLastIndex(l => l.Kind == RefKind.WwMutex);
            locks[last] = locks[last] with { Class = "other_ww_class" };
        }
    }

    private static List<RefStep> Tidy((int Op, int Pick, int Bias)[] raw, int lockCount)
    {
        var tidy = raw.Select(r => (r.Op, r.Pick, Bias: 0)).ToArray();
        var steps = new List<RefStep>();
        var held = new List<int>();
        foreach (var step in Shape(tidy, lockCount))
        {
            if (step.Op is RefOp.Lock or RefOp.TryLock ? held.Contains(step.Lock) : step.Op == RefOp.Unlock && !held.Contains(step.Lock))
                continue;
            if (steps.Count + held.Count + (step.Op is RefOp.Lock or RefOp.TryLock ? 1 : 0) > 6)
                break;
            steps.Add(step);
            if (step.Op is RefOp.Lock or RefOp.TryLock)
                held.Add(step.Lock);
            else if (step.Op == RefOp.Unlock)
                held.Remove(step.Lock);
        }
        for (var i = held.Count - 1; i >= 0; i--)
            steps.Add(new RefStep(RefOp.Unlock, held[i]));
        return steps;
    }

    /// <summary>Turns raw numbers into steps, tracking the locks the context means to hold.</summary>
    private static List<RefStep> Shape((int Op, int Pick, int Bias)[] raw, int lockCount)
    {
        var held = new List<int>();
        var steps = new List<RefStep>();
        foreach (var (op, pick, bias) in raw)
        {
            var free = Enumerable.Range(0, lockCount).Where(l => !held.Contains(l)).ToList();
            if (op < 42)
            {
                // Mostly a lock not yet held; sometimes any lock (a recursive one).
                var l = bias < 90 && free.Count > 0 ? free[pick % free.Count] : pick % lockCount;
                steps.Add(new RefStep(RefOp.Lock, l));
                if (!held.Contains(l))
                    held.Add(l);
            }
            else if (op < 78)
            {
                // Mostly the innermost held lock, sometimes another held one, sometimes any (maybe not held).
                var l = held.Count > 0 && bias < 70 ? held[^1]
                    : held.Count > 0 && bias < 88 ? held[pick % held.Count]
                    : pick % lockCount;
                steps.Add(new RefStep(RefOp.Unlock, l));
                held.Remove(l);
            }
            else if (op < 90)
            {
                var l = bias < 80 && free.Count > 0 ? free[pick % free.Count] : pick % lockCount;
                steps.Add(new RefStep(RefOp.TryLock, l));
                if (!held.Contains(l))
                    held.Add(l);
            }
            else
            {
                steps.Add(new RefStep(RefOp.Sleep, -1));
            }
        }
        return steps;
    }

    /// <summary>Smaller scripts: one context fewer, or one step fewer.</summary>
    private static IEnumerable<RefScript> Shrink(RefScript s)
    {
        if (s.Contexts.Count > 1)
        {
            for (var c = 0; c < s.Contexts.Count; c++)
                yield return s with { Contexts = [.. s.Contexts.Where((_, i) => i != c)] };
        }
        for (var c = 0; c < s.Contexts.Count; c++)
        {
            for (var i = 0; i < s.Contexts[c].Count; i++)
            {
                var steps = s.Contexts[c].Where((_, j) => j != i).ToList();
                yield return s with { Contexts = [.. s.Contexts.Select((old, k) => k == c ? steps : old)] };
            }
        }
    }
}
