using FsCheck;
using FsCheck.Fluent;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Reference;

namespace Gpuvmsim.Tests.Exploration;

/// <summary>
/// The explorer, run as a verdict is asked of it (an exhaustive dfs of the scenario), against the independent
/// reference checker of lock scripts: on random scripts (fixed seed) and on scripts that pin a subtle rule, both must
/// report the same finding kinds.
/// </summary>
public class ExplorerMatchesReferenceSpec
{
    /// <summary>The random scripts both tests below see: 300 from a fixed seed, so the coverage test speaks of the very
    /// scripts the comparison checks.</summary>
    private static readonly Lazy<RefScript[]> RandomScripts = new(() =>
        [.. Gen.Sample(LockScripts.Scripts().Generator, 300, new Rnd(20251121, 0x9E3779B97F4A7C15UL), 20)]);

    [Fact]
    public void Explorer_and_reference_checker_report_the_same_kinds_on_random_lock_scripts()
    {
        foreach (var script in RandomScripts.Value)
            AssertSameVerdict(script);
    }

    public static TheoryData<string> KnownScriptNames => [.. KnownScripts.Keys];

    [Theory]
    [MemberData(nameof(KnownScriptNames))]
    public void Explorer_and_reference_checker_give_a_known_script_its_verdict(string name)
    {
        var (hocon, expected) = KnownScripts[name];
        var script = RefScript.From(ScenarioParser.ParseString(hocon, $"{name}.conf"));

        var verdict = AssertSameVerdict(script);

        Assert.Equal(expected, verdict.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_random_scripts_reach_every_lock_script_verdict()
    {
        var kinds = new HashSet<string>();
        var clean = 0;
        foreach (var script in RandomScripts.Value)
        {
            var verdict = LockScriptChecker.Verdict(script);
            kinds.UnionWith(verdict);
            clean += verdict.Count == 0 ? 1 : 0;
        }

        Assert.Equal(
            ["deadlock", "held-lock-at-exit", "lock-order-inversion", "recursive-locking", "sleep-in-atomic", "unlock-not-held"],
            kinds.Order(StringComparer.Ordinal));
        Assert.True(clean >= 30, $"only {clean} of 300 scripts are clean: the comparison hardly checks that nothing is reported wrongly");
    }

    /// <summary>Scripts whose verdict hangs on one rule, each with the kinds both must report.</summary>
    private static readonly Dictionary<string, (string Hocon, string[] Verdict)> KnownScripts = new()
    {
        // T1 and T3 lock A twice. Wait-die wakes a younger waiting context that holds ww locks when an older one
        // queues, but a context waiting for the lock it holds is never woken: it waits forever.
        ["relock-waits-forever-behind-an-older-context"] = ("""
            scenario {
              name = "relock-waits-forever-behind-an-older-context"
              locks = [ { name = A, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = A } ] }
                { name = T2, steps = [ { trylock = A }, { lock = A } ] }
                { name = T3, steps = [ { lock = A }, { lock = A } ] }
              ]
            }
            """, ["deadlock", "recursive-locking"]),

        // T3 backs off at B while T1, older, waits for B too. When T2 backs off and lets B go, the older T1 takes it:
        // the wait list is in stamp order and the younger T3 may not steal it, so T3 never re-runs its section and
        // never takes C a second time.
        ["older-waiting-context-takes-the-lock-first"] = ("""
            scenario {
              name = "older-waiting-context-takes-the-lock-first"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex }, { name = C, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = B } ] }
                { name = T2, steps = [ { lock = B }, { lock = A } ] }
                { name = T3, steps = [ { lock = A }, { lock = C }, { lock = B } ] }
              ]
            }
            """, ["deadlock", "held-lock-at-exit", "lock-order-inversion"]),

        // T1 backs off at B, then at A: drm_exec forgets the first slow-path lock (B was dropped with the rest), so
        // B's step is taken again rather than skipped. Three acquire contexts also need every stamp order explored.
        ["two-back-offs"] = ("""
            scenario {
              name = "two-back-offs"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B } ] }
                { name = T2, steps = [ { lock = B }, { trylock = A }, { lock = A }, { unlock = A }, { trylock = A } ] }
                { name = T3, steps = [ { lock = A }, { unlock = A }, { sleep = true }, { lock = B } ] }
              ]
            }
            """, ["deadlock", "held-lock-at-exit", "recursive-locking"]),

        // WB is nested under the acquire context (check_deadlock returns 2): lockdep adds no dependency for it, so
        // there is ww -> M but no M -> ww.
        ["mutex-inside-acquire-context"] = ("""
            scenario {
              name = "mutex-inside-acquire-context"
              locks = [ { name = WA, kind = ww-mutex }, { name = WB, kind = ww-mutex }, { name = M, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = WA }, { lock = M }, { lock = WB }, { unlock = WB }, { unlock = M }, { unlock = WA } ] }
              ]
            }
            """, []),

        // N is taken with WB innermost: check_prevs_add stops at WB, which added no dependency, so M -> N is never
        // recorded. The ABBA on M and N deadlocks, yet lockdep sees no cycle.
        ["abba-behind-a-nested-ww-lock"] = ("""
            scenario {
              name = "abba-behind-a-nested-ww-lock"
              locks = [ { name = WA, kind = ww-mutex }, { name = WB, kind = ww-mutex }, { name = M, kind = mutex }, { name = N, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = WA }, { lock = M }, { lock = WB }, { lock = N }, { unlock = N }, { unlock = WB }, { unlock = M }, { unlock = WA } ] }
                { name = T2, steps = [ { lock = N }, { lock = M }, { unlock = M }, { unlock = N } ] }
              ]
            }
            """, ["deadlock"]),

        // Past a trylock, check_prevs_add goes on down: T1 orders A before C although B, a trylock, is innermost.
        ["order-through-a-trylock"] = ("""
            scenario {
              name = "order-through-a-trylock"
              locks = [ { name = A, kind = mutex }, { name = B, kind = mutex }, { name = C, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { trylock = B }, { lock = C }, { unlock = C }, { unlock = B }, { unlock = A } ] }
                { name = T2, steps = [ { lock = C }, { lock = A }, { unlock = A }, { unlock = C } ] }
              ]
            }
            """, ["deadlock", "lock-order-inversion"]),

        // nest_lock exempts only the nested class: under one acquire context a ww lock of another ww class is ordered
        // after the held ones as any lock is, so the two orders of A and B are an inversion (wait-die rules out a deadlock).
        ["abba-across-two-ww-classes"] = ("""
            scenario {
              name = "abba-across-two-ww-classes"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex, class = other_ww_class } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
                { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
              ]
            }
            """, ["lock-order-inversion"]),

        // Only T2 orders its locks, B before A; when the older T1 holds A, T2 backs off, takes A on the slow path and
        // re-runs its section, taking B under A: the back-off alone makes the inversion of two ww classes.
        ["back-off-inverts-two-ww-classes"] = ("""
            scenario {
              name = "back-off-inverts-two-ww-classes"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex, class = other_ww_class } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { unlock = A } ] }
                { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
              ]
            }
            """, ["lock-order-inversion"]),

        // A back-off unlocks its locks one at a time, innermost first (drm_exec_unlock_all), and others run in between:
        // T2 takes C, which the dying T1 just dropped, while T1 still holds B, so T2's trylock of B can fail.
        ["back-off-unlocks-one-lock-at-a-time"] = ("""
            scenario {
              name = "back-off-unlocks-one-lock-at-a-time"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex }, { name = C, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { trylock = A }, { lock = B }, { lock = C }, { lock = A }, { unlock = A }, { unlock = C }, { unlock = B } ] }
                { name = T2, steps = [ { lock = A }, { trylock = C }, { lock = C }, { trylock = B }, { unlock = B }, { unlock = C }, { unlock = A } ] }
              ]
            }
            """, ["deadlock", "recursive-locking", "unlock-not-held"]),

        // A class is its name whatever the kinds of its locks (lockdep keys it by lock_class_key): a spinlock taken
        // under a mutex of its class is recursive locking, not a dependency of the class on itself.
        ["mutex-and-spinlock-of-one-class"] = ("""
            scenario {
              name = "mutex-and-spinlock-of-one-class"
              locks = [ { name = M, kind = mutex, class = K }, { name = S, kind = spinlock, class = K } ]
              contexts = [
                { name = T1, steps = [ { lock = M }, { lock = S }, { unlock = S }, { unlock = M } ] }
              ]
            }
            """, ["recursive-locking"]),
    };

    /// <summary>Asserts that the explorer's exhaustive search reports exactly the reference's kinds; returns them.</summary>
    private static IReadOnlySet<string> AssertSameVerdict(RefScript script)
    {
        var reference = LockScriptChecker.Verdict(script);
        var explored = ExplorerVerdict.Dfs(script);
        Assert.True(explored.Exhausted, $"the dfs search of this script was not exhausted after {explored.Schedules} schedules:\n{script.ToHocon()}");
        Assert.True(reference.SetEquals(explored.Kinds),
            $"explorer {ExplorerVerdict.Show(explored.Kinds)} but reference {ExplorerVerdict.Show(reference)} on\n{script.ToHocon()}");
        return reference;
    }
}
