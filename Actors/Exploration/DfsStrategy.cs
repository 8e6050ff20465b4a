using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Exhaustive depth-first search over every choice of the deterministic dispatcher (which delivery next, which
/// nondeterministic value), by re-execution: each run replays the path of choices up to the deepest choice point
/// with an untried option, takes that option, then takes the first allowed option until the run ends or reaches a
/// state explored before (stateless model checking with state caching, as in CHESS and Coyote's DFS).
///
/// Partial-order reduction with sleep sets (Godefroid, "Partial-Order Methods for the Verification of Concurrent
/// Systems", 1996): two deliveries to different actors commute — an actor's state is its own and every (sender,
/// receiver) pair has its own channel — so after exploring delivery <c>a</c> from a state, a sibling branch that
/// delivers <c>b</c> first need not deliver <c>a</c> until something dependent on <c>a</c> happened. The one shared
/// variable of a run, the ww acquire-context stamp counter, makes two deliveries that both took a stamp dependent.
/// One instance drives one search; it is not shared between threads.
/// </summary>
public sealed class DfsStrategy : ExplorationStrategy
{
    public const string StrategyName = "dfs";

    private readonly List<Frame> frames = [];
    private List<Asleep> pendingSleep = [];
    private int depth;
    private int prefixLength;
    private int lastDelivery = -1;

    public override string Name => StrategyName;

    public override string Description => Reduce ? StrategyName : $"{StrategyName}[no-reduction]";

    /// <summary>Use sleep sets (on by default; off explores every interleaving of independent deliveries).</summary>
    public bool Reduce { get; init; } = true;

    /// <summary>Names the delivery a candidate stands for by its content; set for each run (it needs that run's driver).</summary>
    public Func<DeliveryCandidate, ulong>? Identify { get; set; }

    /// <summary>True once the current run has made its new choice: states from here on may be pruned.</summary>
    public bool PastPrefix => depth >= prefixLength;

    /// <summary>The current run reached a state where every enabled delivery is asleep: it must stop.</summary>
    public bool AllAsleep { get; private set; }

    /// <summary>Number of choice points of the current path.</summary>
    public int Depth => frames.Count;

    /// <summary>Choice points above this depth are fixed (a subtree search never backtracks above it).</summary>
    public int Floor { get; private set; }

    /// <summary>The sleep set of the state the last delivery led to.</summary>
    public IReadOnlyList<Asleep> SleepSet => pendingSleep;

    /// <summary>The choice points of the current path as (chosen option, number of options).</summary>
    public IReadOnlyList<(int Choice, int Width)> Path => frames.Select(f => (f.Choice, f.Width)).ToList();

    /// <summary>Restricts the search to the subtree below <paramref name="prefix"/>; earlier siblings of its last
    /// choice count as explored (they are searched as their own subtrees), so sleep sets stay sound. Whether each
    /// sibling takes a ww stamp must be known to <paramref name="explored"/> (<see cref="RecordTookStamp"/>).</summary>
    public void StartBelow(IReadOnlyList<(int Choice, int Width)> prefix, DfsStrategy explored)
    {
        frames.Clear();
        for (var i = 0; i < prefix.Count; i++)
        {
            var source = explored.frames[i];
            var frame = source.CopyWithChoice(prefix[i].Choice);
            if (i == prefix.Count - 1 && !frame.IsValue)
            {
                for (var sibling = 0; sibling < frame.Choice; sibling++)
                {
                    if (!frame.Sleeps(frame.Enabled![sibling]))
                        frame.Done.Add(new Asleep(frame.Enabled[sibling], explored.frames[i].TookStampFor(sibling)));
                }
            }
            frames.Add(frame);
        }
        Floor = prefix.Count;
        Restart(prefix.Count);
    }

    /// <summary>Whether choice point <paramref name="depth"/> chooses a value rather than a delivery.</summary>
    public bool IsValueChoice(int depth) => frames[depth].IsValue;

    /// <summary>Whether the option chosen at choice point <paramref name="depth"/> took a ww stamp when it was delivered.</summary>
    public bool ChosenTookStamp(int depth) => frames[depth].ChosenTookStamp;

    /// <summary>
    /// Records whether <paramref name="option"/> of the delivery choice point at <paramref name="depth"/> takes a ww
    /// stamp, learnt by a run that delivered it: <see cref="StartBelow"/> puts unexplored siblings in sleep sets.
    /// </summary>
    public void RecordTookStamp(int depth, int option, bool tookStamp) => frames[depth].TookStamp[option] = tookStamp;

    /// <summary>
    /// Prepares the next run: backtracks to the deepest choice point (not above <see cref="Floor"/>) that has an
    /// option neither tried nor asleep. Returns false when there is none: the (sub)tree is exhausted.
    /// </summary>
    public bool Advance()
    {
        for (var d = frames.Count - 1; d >= Floor; d--)
        {
            var f = frames[d];
            if (f.IsValue)
            {
                if (f.Choice + 1 >= f.Width)
                    continue;
                f.Choice++;
            }
            else
            {
                if (!f.AllAsleep)
                    f.Done.Add(new Asleep(f.Enabled![f.Choice], f.ChosenTookStamp));
                var next = f.NextAwake(Reduce);
                if (next < 0)
                    continue;
                f.Choice = next;
                f.AllAsleep = false;
            }
            frames.RemoveRange(d + 1, frames.Count - d - 1);
            Restart(d + 1);
            return true;
        }
        return false;
    }

    /// <summary>Called after every delivery of the run: computes the sleep set of the state it led to.</summary>
    public void Delivered(bool tookStamp)
    {
        if (lastDelivery < 0)
            return;
        var f = frames[lastDelivery];
        f.TookStamp[f.Choice] = tookStamp;
        var chosen = new Asleep(f.Enabled![f.Choice], tookStamp);
        pendingSleep = Reduce
            ? f.Sleep.Concat(f.Done).Where(s => Independent(s, chosen)).ToList()
            : [];
    }

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        if (depth < frames.Count)
        {
            var replayed = frames[depth];
            if (replayed.IsValue || replayed.Width != enabled.Length)
                throw Diverged(replayed.Width, enabled.Length);
            lastDelivery = depth++;
            return replayed.Choice;
        }
        var ids = new Transition[enabled.Length];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = new Transition(enabled[i].SenderId, enabled[i].ReceiverId, enabled[i].IsSystem, Identify?.Invoke(enabled[i]) ?? 0);
        var frame = new Frame(false, enabled.Length, ids, pendingSleep);
        frame.Choice = frame.NextAwake(Reduce);
        if (frame.Choice < 0)
        {
            // Everything here is asleep: this state's behaviours are covered by a sibling branch.
            frame.Choice = 0;
            frame.AllAsleep = true;
            AllAsleep = true;
        }
        frames.Add(frame);
        lastDelivery = depth++;
        return frame.Choice;
    }

    protected override int ChooseValue(int count, long step)
    {
        if (depth < frames.Count)
        {
            var replayed = frames[depth];
            if (!replayed.IsValue || replayed.Width != count)
                throw Diverged(replayed.Width, count);
            depth++;
            return replayed.Choice;
        }
        frames.Add(new Frame(true, count, null, []) { Choice = 0 });
        depth++;
        return 0;
    }

    private void Restart(int newPrefix)
    {
        prefixLength = newPrefix;
        depth = 0;
        lastDelivery = -1;
        pendingSleep = [];
        AllAsleep = false;
    }

    private static bool Independent(Asleep a, Asleep b) =>
        a.Transition.Receiver != b.Transition.Receiver && !(a.TookStamp && b.TookStamp);

    private InvalidOperationException Diverged(int recorded, int now) =>
        new($"dfs: the run diverged from its replayed path at choice point {depth}: {recorded} options recorded, {now} now (a nondeterministic scenario?)");

    /// <summary>A delivery, named by its channel and the content of the message at its head.</summary>
    public readonly record struct Transition(int Sender, int Receiver, bool System, ulong Message);

    /// <summary>A transition in a sleep set, with whether it took a ww stamp when it was explored.</summary>
    public readonly record struct Asleep(Transition Transition, bool TookStamp);

    private sealed class Frame(bool isValue, int width, Transition[]? enabled, List<Asleep> sleep)
    {
        public bool IsValue { get; } = isValue;

        public int Width { get; } = width;

        public Transition[]? Enabled { get; } = enabled;

        /// <summary>Asleep on entry to this choice point.</summary>
        public List<Asleep> Sleep { get; } = sleep;

        /// <summary>Options explored before the current one.</summary>
        public List<Asleep> Done { get; private init; } = [];

        public bool[] TookStamp { get; private init; } = new bool[width];

        public int Choice { get; set; }

        public bool AllAsleep { get; set; }

        public bool ChosenTookStamp => TookStamp[Choice];

        public bool TookStampFor(int option) => TookStamp[option];

        public bool Sleeps(Transition t) => Sleep.Exists(s => s.Transition == t) || Done.Exists(s => s.Transition == t);

        public int NextAwake(bool reduce)
        {
            for (var i = 0; i < Width; i++)
            {
                if (Done.Exists(s => s.Transition == Enabled![i]) || (reduce && Sleep.Exists(s => s.Transition == Enabled![i])))
                    continue;
                return i;
            }
            return -1;
        }

        public Frame CopyWithChoice(int choice) =>
            new(IsValue, Width, Enabled, [.. Sleep]) { Choice = choice, Done = [], TookStamp = (bool[])TookStamp.Clone() };
    }
}
