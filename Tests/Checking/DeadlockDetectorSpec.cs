using Gpuvmsim.Checking;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Tests.Checking;

public class DeadlockDetectorSpec
{
    private static LockInfo Lock(int id, string name) => new(new LockId(id), name, new LockClass(name, LockKind.Mutex));

    private static AcquisitionSite Site => new("fn", "T", 0, "step", 1);

    [Fact]
    public void Two_tasks_waiting_for_each_others_lock_are_a_deadlock_with_the_cycle()
    {
        var run = new LockdepRun(0);
        var t1 = run.Register(new ContextId(1), "T1", 1001);
        var t2 = run.Register(new ContextId(2), "T2", 1002);
        LockInfo a = Lock(1, "A"), b = Lock(2, "B");
        run.Acquired(t1, a, Site, false, null);
        run.Acquired(t2, b, Site, false, null);
        t1.Blocked = new BlockedOn(b, "waits for B");
        t2.Blocked = new BlockedOn(a, "waits for A");
        var holders = new Dictionary<LockId, ContextId> { [a.Id] = t1.Id, [b.Id] = t2.Id };
        var f = DeadlockDetector.Detect(run.Tasks, id => holders.TryGetValue(id, out var h) ? h : null, 9);
        Assert.NotNull(f);
        Assert.Equal(FindingKinds.Deadlock, f.Kind);
        Assert.StartsWith("waits-for cycle:", f.Summary);
        Assert.Contains("T1/1001 waits for B [B], held by T2/1002", f.Report);
        Assert.Contains("T2/1002 waits for A [A], held by T1/1001", f.Report);
        Assert.Contains("Showing all locks held in the system:", f.Report);
    }

    [Fact]
    public void A_task_waiting_only_for_itself_is_not_called_a_deadlock()
    {
        var run = new LockdepRun(0);
        var t1 = run.Register(new ContextId(1), "T1", 1001);
        var a = Lock(1, "A");
        run.Acquired(t1, a, Site, false, null);
        t1.Blocked = new BlockedOn(a, "waits for A");
        Assert.Null(DeadlockDetector.Detect(run.Tasks, _ => t1.Id, 3));
    }

    [Fact]
    public void Every_task_blocked_behind_a_dead_holder_is_a_deadlock()
    {
        var run = new LockdepRun(0);
        var worker = run.Register(new ContextId(1), "worker", 1001);
        var close = run.Register(new ContextId(2), "close", 1002);
        var work = new LockInfo(new LockId(1), "V.run_job", LockClass.RunJobWork);
        run.Acquired(worker, work, Site, false, null);
        worker.Exited = worker.Died = true;
        close.Blocked = new BlockedOn(work, "waits for the run-job work");
        var f = DeadlockDetector.Detect(run.Tasks, _ => worker.Id, 5);
        Assert.NotNull(f);
        Assert.StartsWith("every context is blocked", f.Summary);
        Assert.Contains("(died in an oops)", f.Report);
    }

    [Fact]
    public void A_blocked_task_is_no_deadlock_while_another_task_can_still_run()
    {
        var run = new LockdepRun(0);
        var t1 = run.Register(new ContextId(1), "T1", 1001);
        run.Register(new ContextId(2), "T2", 1002);
        var a = Lock(1, "A");
        t1.Blocked = new BlockedOn(a, "waits for A");
        Assert.Null(DeadlockDetector.Detect(run.Tasks, _ => new ContextId(2), 5));
    }
}
