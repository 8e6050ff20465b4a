using FsCheck;
using FsCheck.Fluent;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Reference;

namespace Gpuvmsim.Tests.Exploration;

/// <summary>
/// The explorer, run as a verdict is asked of it (an exhaustive dfs of the scenario), against the independent
/// reference checker of lock scripts: on random scripts (fixed seed) and on scripts that once told them apart, both
/// must report the same finding kinds.
/// </summary>
public class ExplorerMatchesReferenceSpec
{
    [Fact]
    public void Explorer_and_reference_checker_report_the_same_kinds_on_random_lock_scripts()
    {
        Prop.ForAll(LockScripts.Scripts(), script => { AssertSameVerdict(script); }).Check(LockScripts.Deterministic(300, seed: 20251121));
    }

    /// <summary>
    /// A back-off, then a second one at another lock: drm_exec forgets the first slow-path lock (it was dropped with
    /// the rest), so its step is not skipped again. Three acquire contexts also need every stamp order explored.
    /// </summary>
    [Fact]
    public void A_second_back_off_forgets_the_lock_the_first_slow_path_took()
    {
        var script = ScenarioParser.ParseString("""
            scenario {
              name = "two-back-offs"
              locks = [ { name = A, kind = ww-mutex }, { name = B, kind = ww-mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B } ] }
                { name = T2, steps = [ { lock = B }, { trylock = A }, { lock = A }, { unlock = A }, { trylock = A } ] }
                { name = T3, steps = [ { lock = A }, { unlock = A }, { sleep = true }, { lock = B } ] }
              ]
            }
            """, "two-back-offs.conf");

        var verdict = AssertSameVerdict(RefScript.From(script));

        Assert.Equal(["deadlock", "held-lock-at-exit", "recursive-locking"], verdict.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_mutex_taken_between_two_ww_locks_of_one_acquire_context_orders_nothing()
    {
        // lockdep adds no dependency for WB, nested under the acquire context: ww -> M but no M -> ww.
        var script = ScenarioParser.ParseString("""
            scenario {
              name = "mutex-inside-acquire-context"
              locks = [ { name = WA, kind = ww-mutex }, { name = WB, kind = ww-mutex }, { name = M, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = WA }, { lock = M }, { lock = WB }, { unlock = WB }, { unlock = M }, { unlock = WA } ] }
              ]
            }
            """, "mutex-inside-acquire-context.conf");

        Assert.Empty(AssertSameVerdict(RefScript.From(script)));
    }

    [Fact]
    public void The_random_scripts_reach_every_lock_script_verdict()
    {
        var kinds = new HashSet<string>();
        var clean = 0;
        foreach (var script in Gen.Sample(LockScripts.Scripts().Generator, 300, new Rnd(20251121, 0x9E3779B97F4A7C15UL), 20))
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
