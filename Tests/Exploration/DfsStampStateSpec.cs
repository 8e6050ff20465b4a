using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Exploration;

/// <summary>
/// Wait-die compares ww stamps and never reads their values, so dfs keeps the age order of the live stamps in its
/// states, not the stamps: states that differ only in how many stamps their history issued are one state. Without
/// that, every acquire context multiplies the states, and a script with a few contexts is never exhausted.
/// </summary>
public class DfsStampStateSpec
{
    private static readonly ContextId T1 = new(1), T2 = new(2), T3 = new(3);

    [Fact]
    public void Live_stamps_enter_the_state_by_their_owners_age_order_whatever_their_values()
    {
        // T3 took and finished a stamp before T1 and T2 took theirs: after that, as if it never had.
        var fresh = new RunMonitor(0);
        var t1 = fresh.NextWwStamp(T1);
        var t2 = fresh.NextWwStamp(T2);
        var later = new RunMonitor(0);
        later.WwAcquireFini(later.NextWwStamp(T3));
        var t1Later = later.NextWwStamp(T1);
        var t2Later = later.NextWwStamp(T2);
        var reversed = new RunMonitor(0);
        reversed.NextWwStamp(T2);
        reversed.NextWwStamp(T1);

        Assert.NotEqual(t1, t1Later);
        Assert.Equal(fresh.WwStampKey(t1), later.WwStampKey(t1Later));
        Assert.Equal(fresh.WwStampKey(t2), later.WwStampKey(t2Later));
        Assert.Equal(OrderHash(fresh), OrderHash(later));
        Assert.NotEqual(OrderHash(fresh), OrderHash(reversed));
        Assert.Equal(-1, later.WwStampKey(1));
    }

    [Fact]
    public void A_queued_ww_request_enters_the_state_by_its_stamps_key()
    {
        var fresh = new RunMonitor(0);
        var stamp = fresh.NextWwStamp(T1);
        var later = new RunMonitor(0);
        later.WwAcquireFini(later.NextWwStamp(T2));
        var stampLater = later.NextWwStamp(T1);

        Assert.Equal(
            MessageHash(fresh, new AcquireLock(new LockId(1), T1, AcquireMode.Lock, stamp, WwHeld: 1)),
            MessageHash(later, new AcquireLock(new LockId(1), T1, AcquireMode.Lock, stampLater, WwHeld: 1)));
        Assert.NotEqual(
            MessageHash(fresh, new AcquireLock(new LockId(1), T1, AcquireMode.Lock, stamp, WwHeld: 1)),
            MessageHash(fresh, new AcquireLock(new LockId(1), T1, AcquireMode.Lock, stamp, WwHeld: 0)));
    }

    [Fact]
    public void Dfs_exhausts_three_contexts_that_each_take_one_ww_lock_three_times()
    {
        // Nine acquire contexts in all. With stamp values in the state this was not exhausted in 1,000,000 schedules
        // (it takes about 70,000 now; the mutex twin takes about 6,000).
        var result = ExploreDfs("""
            scenario {
              name = "one-ww-lock-nine-acquire-contexts"
              locks = [ { name = A, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { unlock = A }, { lock = A }, { unlock = A }, { lock = A }, { unlock = A } ] }
                { name = T2, steps = [ { lock = A }, { unlock = A }, { lock = A }, { unlock = A }, { lock = A }, { unlock = A } ] }
                { name = T3, steps = [ { lock = A }, { unlock = A }, { lock = A }, { unlock = A }, { lock = A }, { unlock = A } ] }
              ]
            }
            """, budget: 150_000);

        Assert.True(result.Exhausted, $"not exhausted in {result.Schedules} schedules");
        Assert.Empty(result.Kinds);
    }

    [Fact]
    public void Dfs_merges_the_states_a_lock_script_reaches_after_another_number_of_back_offs()
    {
        // T1 and T2 take A and B in both orders, twice; T3 once. Between two steps a script context's state is its
        // step, its ww section and its locks, however many times wait-die sent it back: keyed by the history of its
        // messages, this took 626,000 schedules (about 110,000 now).
        var result = ExploreDfs("""
            scenario {
              name = "backing-off-twice"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A }, { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
                { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B }, { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
                { name = T3, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
              ]
            }
            """, budget: 200_000);

        Assert.True(result.Exhausted, $"not exhausted in {result.Schedules} schedules");
        Assert.Empty(result.Kinds);
    }

    private static ExplorationResult ExploreDfs(string hocon, long budget)
    {
        var spec = ScenarioParser.ParseString(hocon, "stamps.conf");
        return Explorer.Explore(spec, ScenarioValidator.Designs(spec)["v2"],
            new ExploreOptions { Strategy = "dfs", Budget = budget }, Worlds.For(spec));
    }

    private static ulong OrderHash(RunMonitor monitor)
    {
        var h = new StateHasher();
        monitor.AddWwStampOrder(ref h);
        return h.Value;
    }

    private static ulong MessageHash(RunMonitor monitor, object message)
    {
        var h = new StateHasher();
        monitor.AddMessageState(ref h, message);
        return h.Value;
    }
}
