using System.Runtime.CompilerServices;
using Gpuvmsim.Checking;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// The instrumentation of one simulated run — what lockdep, KASAN and the hung-task detector are to a kernel:
/// every actor of the run reports lock acquisitions, frees and invariant checks here synchronously, and the
/// run asks it for the verdict at the end. It is not an actor: it observes, it never takes part in the
/// protocol, so calling it directly keeps the explored schedules unchanged.
/// Single-threaded: one instance per run, used only from the deterministic dispatcher's thread.
/// </summary>
public sealed class RunMonitor
{
    private readonly Dictionary<LockId, LockState> lockStates = [];
    private readonly List<ContextEvent>? events;
    private readonly List<Action<RunMonitor>> quiescenceChecks = [];
    private readonly List<(long Stamp, ContextId Owner)> liveWwStamps = []; // oldest first
    private long nextWwStamp = 1;

    /// <param name="scheduleIndex">The schedule's index within its exploration (orders lockdep witnesses).</param>
    /// <param name="knownEdges">Skips recording dependency edges an earlier schedule already witnessed.</param>
    /// <param name="recordEvents">Keep the per-context event log that the interleaving table is built from.</param>
    public RunMonitor(long scheduleIndex, Func<(string From, string To), bool>? knownEdges = null, bool recordEvents = false)
    {
        Lockdep = new LockdepRun(scheduleIndex, knownEdges);
        events = recordEvents ? [] : null;
    }

    public LockdepRun Lockdep { get; }

    /// <summary>An exhaustive search compares states: contexts must keep the hash of the messages they received.</summary>
    public bool TrackState { get; init; }

    /// <summary>The kernel state of the GPU world, for checkers.</summary>
    public WorldView World { get; } = new();

    public void RegisterVm(Model.VmId id, Model.GpuVm vm, Func<bool> unusable) => World.Vms[id] = (vm, unusable);

    public void RegisterBo(Model.ObjId id, Model.GemObject obj, Func<int> pins, Func<bool> freed) => World.Bos[id] = (obj, pins, freed);

    public void RegisterMmu(Model.VmId id, Model.MmuPageTable table, Func<IReadOnlyList<Messages.Scheduler.JobId>> pools, Func<Messages.Scheduler.JobId?> attached) =>
        World.Mmus[id] = (table, pools, attached);



    /// <summary>The current delivery step; set by the run before each delivery.</summary>
    public long Step { get; set; }

    /// <summary>The 0-based step of the current delivery as the trace numbers it (0 before the first one).</summary>
    public long TraceStep => Math.Max(0, Step - 1);

    /// <summary>Chooses a nondeterministic value through the scheduling strategy (recorded in the schedule).</summary>
    public Func<int, int> ChooseValue { get; set; } = _ => 0;

    public IReadOnlyList<Finding> Findings => Lockdep.Findings;

    public IReadOnlyList<ContextEvent> Events => events ?? (IReadOnlyList<ContextEvent>)[];

    public IEnumerable<LockState> Locks => lockStates.Values;

    /// <summary>Lock owners register the state of each lock they own, for the deadlock detector.</summary>
    public void RegisterLock(LockState state) => lockStates[state.Info.Id] = state;

    public ContextId? HolderOf(LockId id) => lockStates.TryGetValue(id, out var s) ? s.Holder : null;

    public void Raise(Finding finding) => Lockdep.Raise(finding);

    /// <summary>
    /// A lock precondition failed (invariant 9): <paramref name="who"/> called <paramref name="function"/> without
    /// <paramref name="required"/>. Reported as lockdep's <c>lockdep_assert_held</c> WARNING; the operation goes on,
    /// as in the kernel.
    /// </summary>
    public void AssertHeldFailed(ContextId who, LockInfo required, string function, string what)
    {
        var task = Lockdep.Tasks.FirstOrDefault(t => t.Id == who);
        var comm = task?.Comm ?? who.ToString();
        Raise(new Finding(
            FindingKinds.InvariantViolation,
            $"{FindingKinds.InvariantViolation}:lock-precondition:{required.Class.Name}",
            $"{function} without {required.Class.Name}: {comm} does not hold {required.Name} ({what})",
            LockdepReports.AssertHeldFailed(task, comm, required, function, what, Step),
            Step));
    }

    /// <summary>An invariant of kernel-model.md §7 does not hold (or a WARN fired); one finding per key.</summary>
    public void InvariantViolated(string key, string summary, string report) =>
        Raise(new Finding(FindingKinds.InvariantViolation, $"{FindingKinds.InvariantViolation}:{key}", summary, report, Step));

    /// <summary>Something touched freed memory (a freed BO, a removed VA, a dying vm_bo).</summary>
    public void UseAfterFree(string key, string summary, string report) =>
        Raise(new Finding(FindingKinds.UseAfterFree, $"{FindingKinds.UseAfterFree}:{key}", summary, report, Step));

    /// <summary>A fresh ww acquire-context stamp (<c>ww_acquire_init</c>) for <paramref name="owner"/>; lower is older.</summary>
    public long NextWwStamp(ContextId owner)
    {
        var stamp = nextWwStamp++;
        liveWwStamps.Add((stamp, owner));
        return stamp;
    }

    /// <summary><c>ww_acquire_fini</c>: <paramref name="stamp"/> is never compared again.</summary>
    public void WwAcquireFini(long stamp)
    {
        for (var at = 0; at < liveWwStamps.Count; at++)
        {
            if (liveWwStamps[at].Stamp == stamp)
            {
                liveWwStamps.RemoveAt(at);
                return;
            }
        }
    }

    /// <summary>How many ww stamps were handed out (a delivery that took one does not commute with another that did).</summary>
    public long WwStampsIssued => nextWwStamp - 1;

    /// <summary>
    /// Adds the ww stamps to a run-state hash by their age order only. Wait-die compares stamps and never reads their
    /// values, so two states whose live stamps are owned in the same order behave alike, however many stamps each
    /// history issued: hashing values would keep them apart and make dfs explode with every acquire context.
    /// </summary>
    public void AddWwStampOrder(ref StateHasher hasher)
    {
        hasher.Add(liveWwStamps.Count);
        foreach (var (_, owner) in liveWwStamps)
            hasher.Add(owner.Value);
    }

    /// <summary>
    /// Names a stamp without its value, for state hashes: its owner and which of the owner's live stamps it is
    /// (−1 for a finished one). The age order is added once, by <see cref="AddWwStampOrder"/>; a key, unlike an age
    /// rank, stays the same while other contexts' stamps come and go, so a delivery keeps its name in sleep sets.
    /// </summary>
    public long WwStampKey(long stamp)
    {
        // A loop, not FindIndex and Count: this runs for every ww lock at every dfs state hash.
        for (var at = 0; at < liveWwStamps.Count; at++)
        {
            if (liveWwStamps[at].Stamp != stamp)
                continue;
            var owner = liveWwStamps[at].Owner;
            var ordinal = 0;
            for (var earlier = 0; earlier < at; earlier++)
                if (liveWwStamps[earlier].Owner == owner)
                    ordinal++;
            return ((long)owner.Value << 16) | (uint)ordinal;
        }
        return -1;
    }

    /// <summary><see cref="WwStampKey"/> as one delegate for the run, rather than one per lock at every state hash.</summary>
    public Func<long, long> WwStampKeys => wwStampKeys ??= WwStampKey;

    private Func<long, long>? wwStampKeys;

    /// <summary><see cref="AddMessageState"/> as one delegate for the run, for the dfs state hash of every step.</summary>
    public MessageHasher MessageStates => messageStates ??= AddMessageState;

    private MessageHasher? messageStates;

    /// <summary>Adds a message to a run-state hash, with a ww stamp it carries by key (see <see cref="AddWwStampOrder"/>).</summary>
    public void AddMessageState(ref StateHasher hasher, object? message) =>
        hasher.Add(message is AcquireLock { WwStamp: { } stamp } acquire ? acquire with { WwStamp = WwStampKey(stamp) } : message);

    /// <summary>Records one line for the per-context interleaving table (kept only when asked for).</summary>
    public void Event(string context, string text) => events?.Add(new ContextEvent(Step, context, text));

    /// <summary>As <see cref="Event(string, string)"/>; the interpolated text is formatted only when kept.</summary>
    public void Event(string context, [InterpolatedStringHandlerArgument("")] ref EventTextHandler text)
    {
        if (events is not null)
            events.Add(new ContextEvent(Step, context, text.ToStringAndClear()));
    }

    /// <summary>Whether <see cref="Event(string, string)"/> keeps its lines (the run shows its interleaving).</summary>
    public bool RecordsEvents => events is not null;

    /// <summary>Checks to run after every delivery (structural invariants of the world actors).</summary>
    public List<Action<RunMonitor>> AfterEveryDelivery { get; } = [];

    /// <summary>Set when the simulator itself failed inside an actor; the run turns it into an internal error.</summary>
    public Exception? SimulatorFailure { get; private set; }

    public void SimulatorFailed(Exception e) => SimulatorFailure ??= e;

    public void ThrowIfSimulatorFailed()
    {
        if (SimulatorFailure is { } e)
            throw new InvalidOperationException($"simulator failure at delivery {Step}: {e.Message}", e);
    }

    internal void AfterDelivery(in Runtime.Deterministic.DeliveryRecord delivery)
    {
        foreach (var check in AfterEveryDelivery)
            check(this);
    }

    /// <summary>Adds a check to run when nothing is deliverable any more (leaks, end-state invariants).</summary>
    public void AtQuiescence(Action<RunMonitor> check) => quiescenceChecks.Add(check);

    /// <summary>Runs the end-of-run checks: deadlock, locks held at exit, and every registered check.</summary>
    public void CheckQuiescentState()
    {
        if (DeadlockDetector.Detect(Lockdep.Tasks, HolderOf, Step) is { } deadlock)
            Raise(deadlock);
        foreach (var check in quiescenceChecks)
            check(this);
    }
}

/// <summary>One line of the interleaving table: at delivery <paramref name="Step"/>, <paramref name="Context"/> did <paramref name="Text"/>.</summary>
public sealed record ContextEvent(long Step, string Context, string Text);
