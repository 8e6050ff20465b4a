using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.TestKit.Races;
using Gpuvmsim.Tests.Persistence;
using Gpuvmsim.Tests.Scenarios;
using Xunit.Sdk;

namespace Gpuvmsim.Tests.Races;

/// <summary>
/// Deterministic race-replay tests as a driver developer writes them with <see cref="RaceScenario"/> and
/// <see cref="RaceJournal"/>: a few lines each, no sleeps, the same result on every machine.
/// </summary>
public sealed class RaceReplayExamples : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static string Library(string file) => Path.Combine(ScenarioLibrarySpec.LibraryFolder, file);

    [Fact]
    public void Closing_the_vm_before_drm_sched_stop_deadlocks_against_run_job()
    {
        var race = RaceScenario.Load(Library("s02-vm-close-during-job-run.conf")).WithDesign("v2-close-op-lock-first");

        var found = race.Explore().AssertExhausted().AssertKinds("deadlock", "lock-order-inversion", "leak");

        race.Replay(found.Finding("deadlock").Schedule).AssertShows("deadlock").AssertTrace(found.Finding("deadlock").TraceSha256);
    }

    [Fact]
    public void The_seed_patch_close_path_cannot_deadlock_and_fixing_the_killed_job_leak_leaves_nothing()
    {
        var race = RaceScenario.Load(Library("s02-vm-close-during-job-run.conf"));

        race.Explore().AssertExhausted().AssertKinds("leak");
        race.WithKnob("killed-job-leaks", "off").Explore().AssertExhausted().AssertNoFindings();
    }

    [Fact]
    public void An_abba_lock_script_written_in_the_test()
    {
        var race = RaceScenario.Parse("""
            scenario {
              name = "abba"
              locks = [ { name = A, kind = mutex }, { name = B, kind = mutex } ]
              contexts = [
                { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
                { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
              ]
            }
            """);

        race.Explore().AssertExhausted().AssertKinds("deadlock", "lock-order-inversion");
        race.Explore(strategy: "random", seed: 42, budget: 200).AssertKinds("deadlock", "lock-order-inversion");
    }

    [Fact]
    public void A_journal_from_a_colleague_replays_identically()
    {
        var db = folder.File("handed-over.db");
        string id;
        using (var store = BindJournalStore.Open(db, create: true))
        {
            var scenario = BindJournals.BindJournalFixtures.Scenario("s02");
            id = BindJournals.BindJournalFixtures.RunInto(store, scenario, BindJournals.BindJournalFixtures.Design(scenario, "v2-close-op-lock-first"), seed: 2);
        }

        // Seed 2 closes the file before the job runs: the killed job's leak, no deadlock.
        RaceJournal.Replay(db, id).AssertIdentical().AssertVerdict("leak");
    }

    [Fact]
    public void A_failed_expectation_shows_the_lockdep_report_and_the_interleaving()
    {
        var race = RaceScenario.Load(Library("s02-vm-close-during-job-run.conf")).WithDesign("v2-close-op-lock-first");

        var failure = Assert.Throws<XunitException>(() => race.Explore().AssertNoFindings());

        Assert.Contains("expected [], found [deadlock, leak, lock-order-inversion]", failure.Message);
        Assert.Contains("WARNING: possible circular locking dependency detected", failure.Message);
        Assert.Contains("T1", failure.Message);
    }
}
