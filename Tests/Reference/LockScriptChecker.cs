using System.Text;

namespace Gpuvmsim.Tests.Reference;

/// <summary>
/// An explicit-state model checker for lock scripts, written from the specs (cli-contract.md's lock-script section,
/// kernel-model.md §2.3, conventions.md §4.1) and sharing no code with the explorer. It visits every reachable state
/// of (per context: program counter, phase, held locks, ww acquire context) and returns the finding kinds a complete
/// exploration must report.
///
/// Semantics:
/// <list type="bullet">
/// <item>a lock step first attempts (the lockdep checks, as <c>lock_acquire</c> runs before the wait), then waits until
/// the lock is free and takes it; any waiter may take a free lock;</item>
/// <item>lock of a lock the context holds: recursive-locking, and it waits forever; lock of another lock of a class it
/// holds: recursive-locking unless both are ww-mutexes of its current acquire context (nest_lock);</item>
/// <item>an acquisition of B records the class edge A → B for the innermost held A and, past it while A was taken by
/// trylock, for the ones below (check_prevs_add); trylock records none and never waits; an acquisition while a lock
/// of B's class is held records none (check_deadlock returns 0, recursion, or 2, nested under the acquire context, and
/// validate_chain then skips check_prevs_add). So a lock taken with a nested ww lock innermost is ordered after the ww
/// class only, not after the locks held below it: lockdep's blind spot, kept;</item>
/// <item>a sleeping acquisition (mutex, ww-mutex, not trylock) or a sleep step while a spinlock is held: sleep-in-atomic;</item>
/// <item>unlock of a lock not held: unlock-not-held (nothing changes); finishing with locks held: held-lock-at-exit
/// (lockdep's "lock held when returning to user space!");</item>
/// <item>ww-mutexes are taken under an implicit acquire context (drm_exec): it starts at a ww lock step when none is
/// active, with a stamp younger than every other, and ends when an unlock leaves none of its locks held; a ww trylock
/// while it is active is <c>ww_mutex_trylock(lock, ctx)</c>. Wait-die: a waiter with ctx locks held whose lock is held
/// under an older context backs off: it drops its context's locks one at a time, innermost first, while the others run
/// (drm_exec_unlock_all unlocks in reverse, one by one), takes the contended lock (slow path, never dies),
/// and re-runs its script from the step that started the context, skipping the next lock step of the lock the slow path
/// took (one lock, like drm_exec's <c>prelocked</c>, forgotten at the next back-off). A waiter with ctx locks held
/// backs off as well while an older context waits for the same lock (kernel/locking/ww_mutex.h: among waiting
/// contexts only the oldest may hold locks);</item>
/// <item>deadlock: a state with no move left in which some context waits for a lock another context holds;</item>
/// <item>lock-order-inversion: a cycle in the class graph gathered over every reachable transition.</item>
/// </list>
/// </summary>
internal static class LockScriptChecker
{
    public const string Deadlock = "deadlock";
    public const string RecursiveLocking = "recursive-locking";
    public const string LockOrderInversion = "lock-order-inversion";
    public const string UnlockNotHeld = "unlock-not-held";
    public const string SleepInAtomic = "sleep-in-atomic";
    public const string HeldLockAtExit = "held-lock-at-exit";

    /// <summary>The finding kinds of every reachable execution of <paramref name="script"/>.</summary>
    public static IReadOnlySet<string> Verdict(RefScript script, int maxStates = 2_000_000)
    {
        var search = new Search(script);
        var start = new State(script.Contexts.Select(_ => new Ctx()).ToArray());
        search.Enqueue(start);
        while (search.Frontier.TryDequeue(out var state))
        {
            if (search.Seen.Count > maxStates)
                throw new InvalidOperationException($"{script.Name}: more than {maxStates} states");
            var moved = false;
            for (var c = 0; c < state.Contexts.Length; c++)
            {
                foreach (var next in search.Moves(state, c))
                {
                    moved = true;
                    search.Enqueue(next);
                }
            }
            if (!moved && search.SomeoneWaitsForAnother(state))
                search.Kinds.Add(Deadlock);
        }
        if (search.HasCycle())
            search.Kinds.Add(LockOrderInversion);
        return search.Kinds;
    }

    private enum Phase
    {
        Ready,
        Waiting,
        BackingOff,
        WaitingSlow,
        Done,
    }

    /// <summary>A held lock: taken by trylock or not, and whether it belongs to the context's acquire context.</summary>
    private readonly record struct Held(int Lock, bool Try, bool InCtx);

    private sealed class Ctx
    {
        public int Pc;
        public Phase Phase;
        public int Wait = -1;
        public int Stamp; // 0: no acquire context; else its age rank, lower is older
        public int SectionStart;
        public int Prelocked = -1; // the lock the slow path took (drm_exec's prelocked): its next lock step is skipped
        public List<Held> Held = [];

        public Ctx Clone() => new()
        {
            Pc = Pc, Phase = Phase, Wait = Wait, Stamp = Stamp, SectionStart = SectionStart, Prelocked = Prelocked, Held = [.. Held],
        };

        public bool Holds(int l) => Held.Exists(h => h.Lock == l);

        public int CtxHeld => Held.Count(h => h.InCtx);
    }

    private sealed class State(Ctx[] contexts)
    {
        public Ctx[] Contexts { get; } = contexts;

        public int HolderOf(int l) => Array.FindIndex(Contexts, c => c.Holds(l));

        public State With(int c, Ctx ctx)
        {
            var copy = (Ctx[])Contexts.Clone();
            copy[c] = ctx;
            return new State(copy);
        }

        /// <summary>Stamps only compare: renumber them 1..k in age order so equal situations are one state.</summary>
        public void NormaliseStamps()
        {
            var order = Contexts.Where(c => c.Stamp != 0).Select(c => c.Stamp).Distinct().Order().ToList();
            for (var i = 0; i < Contexts.Length; i++)
            {
                var stamp = Contexts[i].Stamp == 0 ? 0 : order.IndexOf(Contexts[i].Stamp) + 1;
                if (stamp != Contexts[i].Stamp)
                    Contexts[i] = Contexts[i].Clone(); // states share unchanged contexts: never renumber in place
                Contexts[i].Stamp = stamp;
            }
        }

        public string Key()
        {
            var w = new StringBuilder();
            foreach (var c in Contexts)
            {
                w.Append(c.Pc).Append(',').Append((int)c.Phase).Append(',').Append(c.Wait).Append(',').Append(c.Stamp).Append(',')
                    .Append(c.SectionStart).Append(',').Append(c.Prelocked).Append('[');
                foreach (var h in c.Held)
                    w.Append(h.Lock).Append(h.Try ? 't' : '-').Append(h.InCtx ? 'c' : '-').Append(' ');
                w.Append("];");
            }
            return w.ToString();
        }
    }

    private sealed class Search(RefScript script)
    {
        public Queue<State> Frontier { get; } = new();

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Kinds { get; } = new(StringComparer.Ordinal);

        private readonly HashSet<(string From, string To)> edges = [];

        public void Enqueue(State s)
        {
            s.NormaliseStamps();
            if (Seen.Add(s.Key()))
                Frontier.Enqueue(s);
        }

        private RefLock L(int l) => script.Locks[l];

        public bool SomeoneWaitsForAnother(State s)
        {
            for (var c = 0; c < s.Contexts.Length; c++)
            {
                var ctx = s.Contexts[c];
                if (ctx.Phase is Phase.Waiting or Phase.WaitingSlow && s.HolderOf(ctx.Wait) is var h && h >= 0 && h != c)
                    return true;
            }
            return false;
        }

        public IEnumerable<State> Moves(State s, int c)
        {
            var ctx = s.Contexts[c];
            var steps = script.Contexts[c];
            switch (ctx.Phase)
            {
                case Phase.Ready when ctx.Pc < steps.Count:
                    yield return Execute(s, c, steps[ctx.Pc]);
                    break;
                case Phase.Waiting:
                    if (s.HolderOf(ctx.Wait) is var holder && holder < 0)
                    {
                        if (OlderContextWaits(s, ctx))
                            break;
                        var n = ctx.Clone();
                        n.Held.Add(new Held(ctx.Wait, false, L(ctx.Wait).Kind == RefKind.WwMutex && n.Stamp != 0));
                        n.Phase = Phase.Ready;
                        n.Wait = -1;
                        n.Pc++;
                        Finish(n, steps.Count);
                        yield return s.With(c, n);
                    }
                    else if (MustDie(s, ctx, holder))
                    {
                        var n = ctx.Clone();
                        n.Phase = Phase.BackingOff; // -EDEADLK
                        yield return s.With(c, n);
                    }
                    break;
                case Phase.BackingOff:
                    yield return BackoffStep(s, c);
                    break;
                case Phase.WaitingSlow when s.HolderOf(ctx.Wait) < 0 && !OlderContextWaits(s, ctx):
                    {
                        var n = ctx.Clone();
                        n.Held.Add(new Held(ctx.Wait, false, true));
                        n.Prelocked = ctx.Wait; // an earlier one was released at the back-off
                        n.Phase = Phase.Ready;
                        n.Wait = -1;
                        n.Pc = n.SectionStart;
                        yield return s.With(c, n);
                        break;
                    }
            }
        }

        /// <summary>
        /// Whether a context with an older acquire context waits for the ww lock <paramref name="waiter"/> waits for: the
        /// wait list is in stamp order and a younger context never steals the lock from an older waiter
        /// (ww_mutex_spin_on_owner), so the older one takes it first.
        /// </summary>
        private bool OlderContextWaits(State s, Ctx waiter) =>
            L(waiter.Wait).Kind == RefKind.WwMutex && waiter.Stamp != 0
            && s.Contexts.Any(other => other.Phase is Phase.Waiting or Phase.WaitingSlow
                && other.Wait == waiter.Wait && other.Stamp != 0 && other.Stamp < waiter.Stamp);

        /// <summary>Wait-die: a younger context holding ctx locks must not wait for an older context, whether that one
        /// holds the lock or waits for it too.</summary>
        private bool MustDie(State s, Ctx waiter, int holder)
        {
            if (holder < 0 || L(waiter.Wait).Kind != RefKind.WwMutex || waiter.Stamp == 0 || waiter.CtxHeld == 0)
                return false;
            var h = s.Contexts[holder];
            if (ReferenceEquals(h, waiter))
                return false; // locking a lock it holds: it waits forever, whoever else waits
            var heldInCtx = h.Held.Exists(x => x.Lock == waiter.Wait && x.InCtx);
            return (heldInCtx && h.Stamp != 0 && h.Stamp < waiter.Stamp) || OlderContextWaits(s, waiter);
        }

        /// <summary>Drops the innermost lock of the acquire context; once none is left, attempts the slow path.</summary>
        private State BackoffStep(State s, int c)
        {
            var n = s.Contexts[c].Clone();
            n.Held.RemoveAt(n.Held.FindLastIndex(h => h.InCtx));
            if (n.CtxHeld == 0)
            {
                Attempt(n, n.Wait);
                n.Phase = Phase.WaitingSlow;
            }
            return s.With(c, n);
        }

        private State Execute(State s, int c, RefStep step)
        {
            var n = s.Contexts[c].Clone();
            var count = script.Contexts[c].Count;
            switch (step.Op)
            {
                case RefOp.Sleep:
                    if (HoldsSpinlock(n))
                        Kinds.Add(SleepInAtomic);
                    n.Pc++;
                    break;
                case RefOp.Unlock:
                    var at = n.Held.FindLastIndex(h => h.Lock == step.Lock);
                    if (at < 0)
                        Kinds.Add(UnlockNotHeld);
                    else
                        n.Held.RemoveAt(at);
                    if (n.Stamp != 0 && n.CtxHeld == 0)
                    {
                        n.Stamp = 0; // ww_acquire_fini
                        n.Prelocked = -1;
                    }
                    n.Pc++;
                    break;
                case RefOp.TryLock:
                    if (s.HolderOf(step.Lock) < 0)
                        n.Held.Add(new Held(step.Lock, true, L(step.Lock).Kind == RefKind.WwMutex && n.Stamp != 0));
                    n.Pc++;
                    break;
                default:
                    if (L(step.Lock).Kind == RefKind.WwMutex)
                    {
                        if (n.Prelocked == step.Lock)
                        {
                            n.Prelocked = -1;
                            n.Pc++;
                            break;
                        }
                        if (n.Stamp == 0)
                        {
                            n.Stamp = int.MaxValue; // younger than all; renumbered by NormaliseStamps
                            n.SectionStart = n.Pc;
                        }
                    }
                    Attempt(n, step.Lock);
                    n.Phase = Phase.Waiting;
                    return s.With(c, n);
            }
            Finish(n, count);
            return s.With(c, n);
        }

        /// <summary>The checks of an acquisition attempt; the context then waits for the lock.</summary>
        private void Attempt(Ctx n, int l)
        {
            n.Wait = l;
            var next = L(l);
            if (next.Kind != RefKind.Spinlock && HoldsSpinlock(n))
                Kinds.Add(SleepInAtomic);
            if (n.Holds(l))
            {
                Kinds.Add(RecursiveLocking); // waits for itself forever
                return;
            }
            var sameClass = n.Held.Where(h => L(h.Lock).Class == next.Class).ToList();
            if (sameClass.Count > 0)
            {
                var underCtx = next.Kind == RefKind.WwMutex && n.Stamp != 0;
                if (!(underCtx && sameClass.TrueForAll(h => h.InCtx)))
                    Kinds.Add(RecursiveLocking);
                return; // check_deadlock returned 0 or 2: validate_chain adds no dependency
            }
            // check_prevs_add: from the innermost held lock down to the first one not taken by trylock, whose own
            // acquisition ordered it after the locks below it.
            for (var i = n.Held.Count - 1; i >= 0; i--)
            {
                edges.Add((L(n.Held[i].Lock).Class, next.Class));
                if (!n.Held[i].Try)
                    break;
            }
        }

        private bool HoldsSpinlock(Ctx n) => n.Held.Exists(h => L(h.Lock).Kind == RefKind.Spinlock);

        private void Finish(Ctx n, int count)
        {
            if (n.Pc < count)
                return;
            n.Phase = Phase.Done;
            if (n.Held.Count > 0)
                Kinds.Add(HeldLockAtExit);
        }

        /// <summary>Whether the class graph has a cycle (Kahn: a cycle is what never reaches in-degree 0).</summary>
        public bool HasCycle()
        {
            var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().ToList();
            var indegree = nodes.ToDictionary(n => n, n => edges.Count(e => e.To == n));
            var ready = new Queue<string>(nodes.Where(n => indegree[n] == 0));
            var removed = 0;
            while (ready.TryDequeue(out var node))
            {
                removed++;
                foreach (var e in edges.Where(e => e.From == node))
                {
                    if (--indegree[e.To] == 0)
                        ready.Enqueue(e.To);
                }
            }
            return removed < nodes.Count;
        }
    }
}
