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
    public void Dfs_exhausts_two_contexts_that_each_take_one_ww_lock_six_times()
    {
        // Twelve acquire contexts in all: with stamp values in the state this took 56,316 schedules (2,238 now).
        var result = ExploreDfs("""
            scenario {
              name = "one-ww-lock-twelve-acquire-contexts"
              locks = [ { name = A, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ RUN ] }
                { name = T2, steps = [ RUN ] }
              ]
            }
            """.Replace("RUN", string.Join(", ", Enumerable.Repeat("{ lock = A }, { unlock = A }", 6))), budget: 10_000);

        Assert.True(result.Exhausted, $"not exhausted in {result.Schedules} schedules");
        Assert.Empty(result.Kinds);
    }

    [Fact]
    public void Dfs_merges_the_states_a_lock_script_reaches_after_another_number_of_back_offs()
    {
        // T1 and T2 take A and B in opposite orders, three times. Between two steps a script context's state is its
        // step, its ww section and its locks, however many times wait-die sent it back: keyed by the history of its
        // messages, this took 12,242 schedules (2,376 now).
        var result = ExploreDfs("""
            scenario {
              name = "backing-off-again-and-again"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ AB, BA, AB ] }
                { name = T2, steps = [ BA, AB, BA ] }
              ]
            }
            """.Replace("AB", "{ lock = A }, { lock = B }, { unlock = B }, { unlock = A }")
               .Replace("BA", "{ lock = B }, { lock = A }, { unlock = A }, { unlock = B }"), budget: 5_000);

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
