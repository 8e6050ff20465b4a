using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Scenarios;

namespace Gpuvmsim.Tests.Reference;

/// <summary>
/// The reference checker on scripts whose verdict follows directly from the specs, so that it is trusted on its own
/// before it judges the explorer.
/// </summary>
public class LockScriptCheckerSpec
{
    private static readonly RefLock A = RefScript.NewLock("A", RefKind.Mutex);
    private static readonly RefLock B = RefScript.NewLock("B", RefKind.Mutex);
    private static readonly RefLock S = RefScript.NewLock("S", RefKind.Spinlock);
    private static readonly RefLock WA = RefScript.NewLock("WA", RefKind.WwMutex);
    private static readonly RefLock WB = RefScript.NewLock("WB", RefKind.WwMutex);
    private static readonly RefLock WC = RefScript.NewLock("WC", RefKind.WwMutex);

    private static RefStep Lock(int l) => new(RefOp.Lock, l);

    private static RefStep Unlock(int l) => new(RefOp.Unlock, l);

    private static RefStep TryLock(int l) => new(RefOp.TryLock, l);

    private static readonly RefStep Sleep = new(RefOp.Sleep, -1);

    private static string[] Verdict(RefLock[] locks, params RefStep[][] contexts) =>
        [.. LockScriptChecker.Verdict(new RefScript("t", locks, contexts)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> LibraryLockScripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in ScenarioLibrarySpec.FileNames)
        {
            if (ScenarioParser.ParseFile(Path.Combine(ScenarioLibrarySpec.LibraryFolder, file)).IsLockScript)
                data.Add(file);
        }
        return data;
    }

    /// <summary>The library's lock scripts (which the explorer must match, ScenarioLibrarySpec) get their expected kinds here too.</summary>
    [Theory]
    [MemberData(nameof(LibraryLockScripts))]
    public void A_library_lock_script_gets_the_kinds_its_expect_block_says(string file)
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(ScenarioLibrarySpec.LibraryFolder, file));
        var expected = scenario.Expectations.Single(e => e.Design == "v2").Kinds;

        Assert.Equal(expected.Order(StringComparer.Ordinal), LockScriptChecker.Verdict(RefScript.From(scenario)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Abba_deadlocks_and_is_an_inversion()
    {
        Assert.Equal(["deadlock", "lock-order-inversion"],
            Verdict([A, B], [Lock(0), Lock(1), Unlock(1), Unlock(0)], [Lock(1), Lock(0), Unlock(0), Unlock(1)]));
    }

    [Fact]
    public void Both_orders_in_one_context_are_an_inversion_without_a_deadlock()
    {
        Assert.Equal(["lock-order-inversion"],
            Verdict([A, B], [Lock(0), Lock(1), Unlock(1), Unlock(0), Lock(1), Lock(0), Unlock(0), Unlock(1)]));
    }

    [Fact]
    public void A_trylock_adds_no_dependency_but_a_lock_taken_under_it_does()
    {
        Assert.Equal([], Verdict([A, B], [Lock(0), TryLock(1), Unlock(1), Unlock(0)], [Lock(1), TryLock(0), Unlock(0), Unlock(1)])
            .Except(["unlock-not-held"]));
        Assert.Contains("lock-order-inversion",
            Verdict([A, B], [TryLock(0), Lock(1), Unlock(1), Unlock(0)], [Lock(1), Lock(0), Unlock(0), Unlock(1)]));
    }

    [Fact]
    public void Taking_a_held_lock_again_is_recursive_locking_and_orders_nothing()
    {
        Assert.Equal(["recursive-locking"], Verdict([A, B], [Lock(0), Lock(1), Lock(0)]));
    }

    [Fact]
    public void Sleeping_or_taking_a_mutex_under_a_spinlock_is_sleep_in_atomic_but_a_trylock_is_not()
    {
        Assert.Equal(["sleep-in-atomic"], Verdict([S, A], [Lock(0), Sleep, Unlock(0)]));
        Assert.Equal(["sleep-in-atomic"], Verdict([S, A], [Lock(0), Lock(1), Unlock(1), Unlock(0)]));
        Assert.Equal([], Verdict([S, A], [Lock(0), TryLock(1), Unlock(1), Unlock(0)]));
        Assert.Equal([], Verdict([S, A], [Lock(1), Lock(0), Unlock(0), Sleep, Unlock(1)]));
    }

    [Fact]
    public void Unbalanced_scripts_report_the_bad_unlock_the_held_lock_and_the_context_left_waiting()
    {
        Assert.Equal(["deadlock", "held-lock-at-exit", "unlock-not-held"],
            Verdict([A, B], [Lock(0), Unlock(1)], [Lock(0), Unlock(0)]));
    }

    [Fact]
    public void Ww_mutexes_in_both_orders_back_off_instead_of_deadlocking()
    {
        Assert.Equal([], Verdict([WA, WB], [Lock(0), Lock(1), Unlock(1), Unlock(0)], [Lock(1), Lock(0), Unlock(0), Unlock(1)]));
    }

    [Fact]
    public void Ww_mutexes_are_one_lockdep_class()
    {
        Assert.Equal(["lock-order-inversion"],
            Verdict([WA, WB, A], [Lock(0), Lock(2), Unlock(2), Unlock(0)], [Lock(2), Lock(1), Unlock(1), Unlock(2)]));
    }

    [Fact]
    public void A_lock_taken_while_its_class_is_held_orders_nothing()
    {
        // Nested under the acquire context (check_deadlock returns 2), WB adds no A -> ww edge: no cycle with ww -> A.
        Assert.Equal([], Verdict([WA, WB, A], [Lock(0), Lock(2), Lock(1), Unlock(1), Unlock(2), Unlock(0)]));
        // Recursion on the ww class (WA trylocked outside a context) adds none either, only the report.
        Assert.Equal(["recursive-locking"], Verdict([WA, WB, A],
            [Lock(2), TryLock(0), Lock(1), Unlock(1), Unlock(0), Unlock(2), Lock(0), Lock(2), Unlock(2), Unlock(0)]));
    }

    [Fact]
    public void A_mutex_retaken_after_a_ww_back_off_is_recursive_locking()
    {
        // The younger context backs off at WB, keeps A, and re-runs its script from WA: it takes A again.
        var verdicts = Verdict([WA, WB, A], [Lock(1), Lock(0), Unlock(0), Unlock(1)], [Lock(0), Lock(2), Lock(1), Unlock(1), Unlock(2), Unlock(0)]);
        Assert.Contains("recursive-locking", verdicts);
    }

    [Fact]
    public void A_back_off_drops_its_locks_one_at_a_time()
    {
        // T1 dies at WA holding WB and WC and drops WC first: T2 takes WC while T1 still holds WB, so its trylock of WB
        // fails and its unlock of WB is a bad one. (T2's trylock of WC must fail for it to get past its lock of WC.)
        Assert.Contains("unlock-not-held", Verdict([WA, WB, WC],
            [TryLock(0), Lock(1), Lock(2), Lock(0), Unlock(0), Unlock(2), Unlock(1)],
            [Lock(0), TryLock(2), Lock(2), TryLock(1), Unlock(1), Unlock(2), Unlock(0)]));
    }

    [Fact]
    public void A_class_is_one_whatever_the_kinds_of_its_locks()
    {
        Assert.Equal(["recursive-locking"], Verdict([A with { Class = "K" }, S with { Class = "K" }], [Lock(0), Lock(1), Unlock(1), Unlock(0)]));
    }

    [Fact]
    public void The_acquire_context_does_not_exempt_a_second_ww_class_from_ordering()
    {
        var other = WB with { Class = "other_ww_class" };
        Assert.Equal(["lock-order-inversion"],
            Verdict([WA, other], [Lock(0), Lock(1), Unlock(1), Unlock(0)], [Lock(1), Lock(0), Unlock(0), Unlock(1)]));
    }
}
