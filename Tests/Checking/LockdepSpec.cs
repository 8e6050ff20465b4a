using Gpuvmsim.Checking;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Tests.Checking;

public class LockdepSpec
{
    private static LockInfo Lock(int id, string name, LockKind kind = LockKind.Mutex, string? cls = null) =>
        new(new LockId(id), name, new LockClass(cls ?? name, kind));

    private static AcquisitionSite Site(string ctx, long delivery) => new("test_fn", ctx, 0, "step", delivery);

    private static void Take(LockdepRun run, TaskLocks t, LockInfo l, long delivery, long? stamp = null)
    {
        run.BeforeAcquire(t, l, Site(t.Name, delivery), AcquireMode.Lock, stamp);
        run.Acquired(t, l, Site(t.Name, delivery), false, stamp);
    }

    [Fact]
    public void Acquiring_under_a_held_lock_records_one_edge_per_class_pair()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        Take(run, t, Lock(1, "A"), 1);
        Take(run, t, Lock(2, "B"), 2);
        var edge = Assert.Single(run.NewEdges);
        Assert.Equal(("A", "B"), (edge.From.Name, edge.To.Name));
    }

    [Fact]
    public void Edges_are_recorded_down_to_the_first_non_trylock_held_lock_only()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        Take(run, t, Lock(1, "A"), 1);
        Take(run, t, Lock(2, "B"), 2);
        run.BeforeAcquire(t, Lock(3, "C"), Site("T1", 3), AcquireMode.TryLock, null);
        run.Acquired(t, Lock(3, "C"), Site("T1", 3), true, null);
        Take(run, t, Lock(4, "D"), 4);
        var edges = run.NewEdges.Select(e => $"{e.From.Name}->{e.To.Name}").Order().ToList();
        Assert.Equal(["A->B", "B->D", "C->D"], edges);
    }

    [Fact]
    public void Abba_across_two_schedules_is_a_lock_order_inversion_in_lockdep_shape()
    {
        var graph = new LockDependencyGraph();
        var a = Lock(1, "A");
        var b = Lock(2, "B");
        var run0 = new LockdepRun(0);
        var t1 = run0.Register(new ContextId(1), "T1", 1001);
        Take(run0, t1, a, 1);
        Take(run0, t1, b, 2);
        graph.Merge(run0.NewEdges);
        var run1 = new LockdepRun(1);
        var t2 = run1.Register(new ContextId(2), "T2", 1002);
        Take(run1, t2, b, 1);
        Take(run1, t2, a, 2);
        graph.Merge(run1.NewEdges);

        var finding = Assert.Single(graph.FindInversions());
        Assert.Equal(1, finding.ScheduleIndex);
        Assert.Equal(FindingKinds.LockOrderInversion, finding.Finding.Kind);
        var report = finding.Finding.Report;
        Assert.StartsWith(new string('=', 54) + "\nWARNING: possible circular locking dependency detected\n", report.Replace("\r", ""));
        Assert.Contains("T2/1002 is trying to acquire lock:", report);
        Assert.Contains("(A){+.+.}-{4:4}, at: test_fn (T2 step 1 \"step\", delivery 2)", report);
        Assert.Contains("but task is already holding lock:", report);
        Assert.Contains("-> #1 (B)", report);
        Assert.Contains("-> #0 (A)", report);
        Assert.DoesNotContain("Chain exists of:", report);
        Assert.Contains("  lock(B);\n                               lock(A);\n                               lock(B);\n  lock(A);", report.Replace("\r", ""));
        Assert.Contains("1 lock held by T2/1002:", report);
    }

    [Fact]
    public void A_three_class_cycle_prints_the_chain_line()
    {
        var graph = new LockDependencyGraph();
        LockInfo a = Lock(1, "A"), b = Lock(2, "B"), c = Lock(3, "C");
        var run = new LockdepRun(0);
        var t1 = run.Register(new ContextId(1), "T1", 1001);
        var t2 = run.Register(new ContextId(2), "T2", 1002);
        var t3 = run.Register(new ContextId(3), "T3", 1003);
        Take(run, t1, a, 1); Take(run, t1, b, 2);
        Take(run, t2, b, 3); Take(run, t2, c, 4);
        Take(run, t3, c, 5); Take(run, t3, a, 6);
        graph.Merge(run.NewEdges);
        var f = Assert.Single(graph.FindInversions()).Finding;
        Assert.Contains("Chain exists of:\n  A --> B --> C", f.Report.Replace("\r", ""));
        Assert.Equal("lock-order-inversion:A <-> B <-> C", f.Key);
    }

    [Fact]
    public void Graph_keeps_the_earliest_witness_whatever_the_merge_order()
    {
        LockInfo a = Lock(1, "A"), b = Lock(2, "B");
        EdgeWitness WitnessIn(long schedule)
        {
            var run = new LockdepRun(schedule);
            var t = run.Register(new ContextId(1), "T1", 1001);
            Take(run, t, a, 1);
            Take(run, t, b, 2);
            return Assert.Single(run.NewEdges);
        }
        var g1 = new LockDependencyGraph();
        g1.Merge([WitnessIn(5)]);
        g1.Merge([WitnessIn(2)]);
        var g2 = new LockDependencyGraph();
        g2.Merge([WitnessIn(2)]);
        g2.Merge([WitnessIn(5)]);
        Assert.Equal(2, Assert.Single(g1.Edges).ScheduleIndex);
        Assert.Equal(2, Assert.Single(g2.Edges).ScheduleIndex);
        Assert.True(g1.KnownBy(("A", "B"), 3));
        Assert.False(g1.KnownBy(("A", "B"), 1));
    }

    [Fact]
    public void Taking_the_same_lock_twice_is_recursive_locking_and_reports_a_self_deadlock()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        var a = Lock(1, "A");
        Take(run, t, a, 1);
        Assert.False(run.BeforeAcquire(t, a, Site("T1", 2), AcquireMode.Lock, null));
        var f = Assert.Single(run.Findings);
        Assert.Equal(FindingKinds.RecursiveLocking, f.Kind);
        Assert.StartsWith(new string('=', 44) + "\nWARNING: possible recursive locking detected", f.Report.Replace("\r", ""));
        Assert.Contains("May be due to missing lock nesting notation", f.Report);
    }

    [Fact]
    public void Two_instances_of_one_class_are_recursive_unless_both_are_ww_mutexes_under_one_acquire_context()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        var x = Lock(1, "X.resv", LockKind.WwMutex, "reservation_ww_class_mutex");
        var y = Lock(2, "Y.resv", LockKind.WwMutex, "reservation_ww_class_mutex");
        Take(run, t, x, 1, stamp: 7);
        Assert.True(run.BeforeAcquire(t, y, Site("T1", 2), AcquireMode.Lock, 7));
        Assert.Empty(run.Findings);

        var run2 = new LockdepRun(0);
        var t2 = run2.Register(new ContextId(1), "T1", 1001);
        Take(run2, t2, x, 1);
        run2.BeforeAcquire(t2, y, Site("T1", 2), AcquireMode.Lock, null);
        Assert.Equal(FindingKinds.RecursiveLocking, Assert.Single(run2.Findings).Kind);
    }

    [Fact]
    public void Releasing_an_unheld_lock_is_unlock_not_held()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        Assert.False(run.Release(t, Lock(1, "A"), Site("T1", 1)));
        var f = Assert.Single(run.Findings);
        Assert.Equal(FindingKinds.UnlockNotHeld, f.Kind);
        Assert.Contains("WARNING: bad unlock balance detected!", f.Report);
    }

    [Fact]
    public void Taking_a_mutex_under_a_spinlock_is_sleep_in_atomic()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        Take(run, t, Lock(1, "S", LockKind.Spinlock), 1);
        run.BeforeAcquire(t, Lock(2, "M"), Site("T1", 2), AcquireMode.Lock, null);
        var f = Assert.Single(run.Findings);
        Assert.Equal(FindingKinds.SleepInAtomic, f.Kind);
        Assert.StartsWith("BUG: sleeping function called from invalid context", f.Report);
    }

    [Fact]
    public void Taking_a_spinlock_under_a_spinlock_is_not_sleep_in_atomic()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        Take(run, t, Lock(1, "S", LockKind.Spinlock), 1);
        run.BeforeAcquire(t, Lock(2, "S2", LockKind.Spinlock), Site("T1", 2), AcquireMode.Lock, null);
        Assert.Empty(run.Findings);
    }

    [Fact]
    public void Freeing_an_object_whose_lock_is_held_is_use_after_free()
    {
        var run = new LockdepRun(0);
        var t = run.Register(new ContextId(1), "T1", 1001);
        var resv = Lock(1, "X.resv", LockKind.WwMutex, "reservation_ww_class_mutex");
        Take(run, t, resv, 1);
        Assert.True(run.LockFreed(resv, Site("T1", 2), "BO X"));
        Assert.Equal(FindingKinds.UseAfterFree, Assert.Single(run.Findings).Kind);
    }
}
