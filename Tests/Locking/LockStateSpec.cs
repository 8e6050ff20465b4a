using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Tests.Locking;

public class LockStateSpec
{
    private static readonly ContextId T1 = new(1), T2 = new(2), T3 = new(3);

    private static LockState NewLock(LockKind kind = LockKind.Mutex) => new(new LockInfo(new LockId(1), "A", new LockClass("A", kind)));

    [Fact]
    public void Mutex_grants_a_free_lock_at_once_and_queues_the_next_requester()
    {
        var l = NewLock();
        Assert.Equal([T1], l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock)).Granted);
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock)).IsEmpty);
        Assert.Equal(T1, l.Holder);
        Assert.Equal([T2], l.Waiters);
    }

    [Fact]
    public void Mutex_serves_waiters_in_arrival_order_on_release()
    {
        var l = NewLock();
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock));
        l.Request(new AcquireLock(l.Info.Id, T3, AcquireMode.Lock));
        Assert.Equal([T2], l.Release(T1)!.Granted);
        Assert.Equal([T3], l.Release(T2)!.Granted);
        Assert.Equal(T3, l.Holder);
    }

    [Fact]
    public void Trylock_of_a_held_lock_is_refused_without_queueing()
    {
        var l = NewLock();
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.Equal([T2], l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.TryLock)).Refused);
        Assert.Empty(l.Waiters);
    }

    [Fact]
    public void Relocking_a_held_lock_is_never_answered()
    {
        var l = NewLock();
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock)).IsEmpty);
        Assert.Equal([T1], l.Waiters);
    }

    [Fact]
    public void Release_by_a_non_holder_returns_null_and_changes_nothing()
    {
        var l = NewLock();
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.Null(l.Release(T2));
        Assert.Equal(T1, l.Holder);
    }

    [Fact]
    public void WaitForRelease_returns_at_once_when_free_and_after_the_holder_lets_go_otherwise()
    {
        var l = NewLock(LockKind.LockMap);
        Assert.Equal([T2], l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.WaitForRelease)).Granted);
        Assert.Null(l.Holder);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.WaitForRelease)).IsEmpty);
        var answers = l.Release(T1)!;
        Assert.Equal([T2], answers.Granted);
        Assert.Null(l.Holder);
    }

    [Fact]
    public void WwMutex_wait_die_backs_off_a_younger_context_that_holds_other_ww_locks()
    {
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 1, WwHeld: 0));
        Assert.Equal([T2], l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: 2, WwHeld: 1)).BackedOff);
    }

    [Fact]
    public void WwMutex_lets_an_older_context_wait_for_a_younger_holder()
    {
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: 2, WwHeld: 0));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 1, WwHeld: 1)).IsEmpty);
        Assert.Equal([T1], l.Release(T2)!.Granted);
    }

    [Fact]
    public void WwMutex_younger_context_holding_nothing_waits_instead_of_dying()
    {
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 1));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: 2, WwHeld: 0)).IsEmpty);
    }

    [Fact]
    public void WwMutex_without_a_context_holder_makes_a_context_requester_wait_not_die()
    {
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: 9, WwHeld: 3)).IsEmpty);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WwMutex_context_holding_ww_locks_never_waits_behind_an_older_waiting_context(bool olderQueuesFirst)
    {
        // Among waiting contexts only the oldest may hold ww locks: the younger dies when it arrives behind the older
        // one (__ww_mutex_add_waiter), or when the older one queues ahead of it (__ww_mutex_die).
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T3, AcquireMode.Lock)); // held without a context
        var older = new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 1, WwHeld: 1);
        var younger = new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: 5, WwHeld: 1);
        var (first, second) = olderQueuesFirst ? (older, younger) : (younger, older);

        Assert.True(l.Request(first).IsEmpty);
        Assert.Equal([T2], l.Request(second).BackedOff);
        Assert.Equal([T1], l.Waiters);
        Assert.Equal([T1], l.Release(T3)!.Granted);
    }

    [Fact]
    public void LockSlow_waits_without_the_wait_die_check()
    {
        var l = NewLock(LockKind.WwMutex);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 1));
        Assert.True(l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.LockSlow, WwStamp: 2, WwHeld: 0)).IsEmpty);
        Assert.Equal([T2], l.Release(T1)!.Granted);
    }

    [Fact]
    public void Stamps_join_the_state_hash_by_key_so_states_that_only_issued_other_stamps_are_one()
    {
        // T1 holds, T2 waits holding another ww lock: the same lock state whether their stamps are 3 and 5 or 40 and 41.
        LockState HeldAndWaited(long holder, long waiter)
        {
            var l = NewLock(LockKind.WwMutex);
            l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: holder));
            l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.LockSlow, WwStamp: waiter, WwHeld: 1));
            return l;
        }
        Func<long, long> KeyedBy(long t1, long t2) => stamp => stamp == t1 ? T1.Value : stamp == t2 ? T2.Value : -1;

        Assert.Equal(HeldAndWaited(3, 5).Hash(0, KeyedBy(3, 5)), HeldAndWaited(40, 41).Hash(0, KeyedBy(40, 41)));
        Assert.NotEqual(HeldAndWaited(3, 5).Hash(0, KeyedBy(3, 5)), HeldAndWaited(3, 5).Hash(0, KeyedBy(5, 3)));
    }

    /// <summary>Ranks stamps by value: distinct stamps stay distinct.</summary>
    private static long ByValue(long stamp) => stamp;

    [Fact]
    public void Hash_differs_between_free_and_held_states()
    {
        var l = NewLock();
        var free = l.Hash(0, ByValue);
        l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock));
        Assert.NotEqual(free, l.Hash(0, ByValue));
        l.Release(T1);
        Assert.Equal(free, l.Hash(0, ByValue));
    }

    [Fact]
    public void Waiters_ww_stamps_and_held_counts_are_part_of_the_state_hash_because_they_decide_who_backs_off()
    {
        // Held by T1 (stamp 9); T2 waits with an older or a younger stamp than T3's 7, holding another ww lock or not.
        LockState Queue(long stamp, int held)
        {
            var l = NewLock(LockKind.WwMutex);
            l.Request(new AcquireLock(l.Info.Id, T1, AcquireMode.Lock, WwStamp: 9, WwHeld: 0));
            l.Request(new AcquireLock(l.Info.Id, T2, AcquireMode.Lock, WwStamp: stamp, WwHeld: held));
            return l;
        }
        AcquireLock T3Holding(LockState l) => new(l.Info.Id, T3, AcquireMode.Lock, WwStamp: 7, WwHeld: 1);

        Assert.Equal(Queue(6, 1).Waiters, Queue(8, 1).Waiters);
        Assert.NotEqual(Queue(6, 1).Hash(0, ByValue), Queue(8, 1).Hash(0, ByValue));
        Assert.NotEqual(Queue(8, 1).Hash(0, ByValue), Queue(8, 0).Hash(0, ByValue));

        // They are different states: T3 dies behind an older T2, and queues ahead of a younger one, which then dies
        // only if it holds another ww lock.
        var (older, younger, youngerHoldingNothing) = (Queue(6, 1), Queue(8, 1), Queue(8, 0));
        Assert.Equal([T3], older.Request(T3Holding(older)).BackedOff);
        Assert.Equal([T2], younger.Request(T3Holding(younger)).BackedOff);
        Assert.True(youngerHoldingNothing.Request(T3Holding(youngerHoldingNothing)).IsEmpty);
        Assert.Equal([T3, T2], youngerHoldingNothing.Waiters);
    }
}
