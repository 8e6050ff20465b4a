using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Persistence;
using Microsoft.Data.Sqlite;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>
/// The replay supervisor: a world actor that fails in the middle of a replay is restarted, recovers its state from its
/// journaled events and the replay goes on exactly as recorded; a journal that no longer fits names the first step at
/// which the replay parted from it.
/// </summary>
public sealed class ReplaySupervisorSpec : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string, string> FindingJournals() => new()
    {
        { "s02", "v2" },                          // leak: a killed job's references
        { "s02", "v2-close-op-lock-first" },      // deadlock and an inversion witnessed by two schedules
        { "s13", "v2" },                          // invariant violation in REMAP
    };

    [Theory]
    [MemberData(nameof(FindingJournals))]
    public void A_world_actor_failing_at_any_step_is_restarted_and_the_replay_stays_identical(string scenarioPrefix, string design)
    {
        var scenario = Scenario(scenarioPrefix);
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var (_, journaled) = ExploreInto(store, scenario, Design(scenario, design));
        foreach (var id in journaled.FindingJournalIds.Distinct())
        {
            var stored = store.Load(id);
            var fired = 0;
            for (var step = 0L; step < stored.Header.Steps; step++)
            {
                var report = BindReplay.Replay(stored, new ReplayOptions(FailAtStep: step));
                var faults = report.Replay!.Faults!;
                if (faults.FailedActor is null)
                    continue;
                fired++;
                Assert.True(faults.Recovered, $"{id}: {faults.FailedActor} failed at step {faults.FiredAtStep} and was not restarted");
                Assert.True(report.Identical, $"{id} with {faults.FailedActor} failing at step {faults.FiredAtStep}: {report.Divergence}");
                Assert.True(report.SameFindings, $"{id} with {faults.FailedActor} failing at step {faults.FiredAtStep}: [{string.Join(", ", report.Verdict)}]");
            }
            Assert.True(fired > 0, $"{id}: no world actor received a message");
        }
    }

    [Fact]
    public void An_edited_scenario_is_reported_with_the_first_step_at_which_the_replay_diverged()
    {
        var scenario = Scenario("s02");
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var (_, journaled) = ExploreInto(store, scenario, Design(scenario, "v2"));
        var stored = store.Load(journaled.FindingJournalIds[0]);
        var edited = ScenarioParser.ParseString(scenario.Text.Replace("addr = 0x104000", "addr = 0x108000", StringComparison.Ordinal), "edited.conf");
        Assert.NotEqual(scenario.Text, edited.Text);

        var report = BindReplay.Replay(stored, new ReplayOptions(Scenario: edited));

        Assert.False(report.Identical);
        var divergence = Assert.IsType<ReplayDivergence>(report.Divergence);
        var recordedLines = stored.Trace.Split('\n');
        Assert.InRange(divergence.Step, 0, recordedLines.Length - 1);
        Assert.Contains(recordedLines[divergence.Step], divergence.Reason);
        Assert.Equal(recordedLines[..(int)divergence.Step], report.Replay!.TraceText.Split('\n')[..(int)divergence.Step]);
    }

    [Fact]
    public void An_event_version_this_program_does_not_know_is_reported_at_the_step_that_wrote_it()
    {
        var scenario = Scenario("s02");
        var db = folder.File("j.db");
        string id;
        long expectedStep;
        using (var store = BindJournalStore.Open(db, create: true))
        {
            id = RunInto(store, scenario, Design(scenario, "v2"), 1);
            var replay = BindReplay.Replay(store, id).Replay!;
            var third = replay.Run!.WorldEvents.All.Where(e => e.PersistenceId == "vm/V").ElementAt(2);
            expectedStep = third.Step;
        }
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE journal SET manifest = 'from-the-future.v9' WHERE persistence_id = $pid AND sequence_number = 3";
            update.Parameters.AddWithValue("$pid", BindJournalIds.ActorStream(id, "vm/V"));
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        using var reopened = BindJournalStore.Open(db, create: false);

        var report = BindReplay.Replay(reopened, id);

        Assert.False(report.Identical);
        var divergence = Assert.IsType<ReplayDivergence>(report.Divergence);
        Assert.Equal(expectedStep, divergence.Step);
        Assert.Contains("from-the-future.v9", divergence.Reason);
    }
}
