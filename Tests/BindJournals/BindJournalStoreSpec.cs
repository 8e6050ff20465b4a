using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Tests.Persistence;
using Gpuvmsim.Tests.Scenarios;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>Bind journals stored and read back: every world event round-trips, and a replay reproduces each run exactly.</summary>
public sealed class BindJournalStoreSpec : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private BindJournalStore OpenStore(string name = "j.db") => BindJournalStore.Open(folder.File(name), create: true);

    [Theory]
    [MemberData(nameof(ScenarioLibrarySpec.LibraryFiles), MemberType = typeof(ScenarioLibrarySpec))]
    public void Every_library_run_round_trips_and_replays_identically(string file)
    {
        var scenario = Scenario(Path.GetFileNameWithoutExtension(file));
        using var store = OpenStore();
        foreach (var design in scenario.Expectations.Select(e => e.Design))
        {
            for (var seed = 1UL; seed <= 3; seed++)
            {
                var id = RunInto(store, scenario, Design(scenario, design), seed);
                var stored = store.Load(id);
                Assert.Equal(stored.Header.WorldStreams.Values.Sum(), stored.WorldEvents.Values.Sum(e => e.Count));

                var report = BindReplay.Replay(store, id);

                Assert.True(report.Identical, $"{file} {design} seed {seed}: {report.Divergence}");
                Assert.Null(report.Divergence);
                Assert.True(report.SameFindings);
                Assert.Equal(stored.Header.Verdict, report.Verdict);
            }
        }
    }

    [Fact]
    public void Every_world_event_type_has_its_own_manifest()
    {
        var manifests = BindJournalEvents.Types.Select(BindJournalEvents.ManifestOf).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct().Count());
        Assert.Contains("lock-requested.v1", manifests);
        Assert.Contains("bind-run-recorded.v1", manifests);
        Assert.Contains("va-inserted-by.v1", manifests);
        Assert.All(BindJournalEvents.Types.Where(t => t.IsSubclassOf(typeof(WorldEvent))), t => Assert.True(t.IsSealed, t.Name));
    }

    [Fact]
    public void Journaling_the_same_run_twice_stores_it_once()
    {
        var scenario = Scenario("s02");
        using var store = OpenStore();
        var first = RunInto(store, scenario, Design(scenario, "v2"), 7);
        var rows = store.Journal.Query.CurrentAllEvents().Count();

        var second = RunInto(store, scenario, Design(scenario, "v2"), 7);

        Assert.Equal(first, second);
        Assert.Equal(rows, store.Journal.Query.CurrentAllEvents().Count());
    }

    [Fact]
    public void A_journal_missing_world_events_is_reported_as_incomplete()
    {
        var scenario = Scenario("s02");
        string id;
        using (var store = OpenStore())
        {
            id = RunInto(store, scenario, Design(scenario, "v2"), 1);
            var actor = store.LoadHeader(id).WorldStreams.Keys.First();
            store.Journal.DeleteMessagesTo(BindJournalIds.ActorStream(id, actor), 2);
        }
        using var reopened = BindJournalStore.Open(folder.File("j.db"), create: false);

        var e = Assert.ThrowsAny<InputException>(() => BindReplay.Replay(reopened, id));

        Assert.Contains($"journal {id} is incomplete", e.Message);
    }

    [Fact]
    public void An_unknown_id_and_a_missing_database_are_input_errors()
    {
        using (var store = OpenStore())
        {
            Assert.Contains("no bind journal r-0000000000000000", Assert.ThrowsAny<InputException>(() => store.LoadHeader("r-0000000000000000")).Message);
            Assert.Contains("is not a bind journal id", Assert.ThrowsAny<InputException>(() => store.LoadHeader("nonsense")).Message);
        }
        var missing = folder.File("absent.db");
        Assert.Contains("no journal database", Assert.ThrowsAny<InputException>(() => BindJournalStore.Open(missing, create: false)).Message);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void Runs_and_explorations_are_listed_by_scenario_design_and_finding()
    {
        var s02 = Scenario("s02");
        var s01 = Scenario("s01");
        using var store = OpenStore();
        var (result, journaled) = ExploreInto(store, s02, Design(s02, "v2"));
        RunInto(store, s01, Design(s01, "v2-fixed"), 1);

        Assert.Equal(["leak"], result.Kinds);
        Assert.Equal(journaled.FindingJournalIds, store.ListRuns(new JournalFilter(Finding: "leak")).Items.Select(r => r.JournalId));
        Assert.Single(store.ListRuns(new JournalFilter(Scenario: s01.Name)).Items);
        Assert.Empty(store.ListRuns(new JournalFilter(Scenario: s01.Name, Design: "v2")).Items);
        var exploration = Assert.Single(store.ListExplorations(new JournalFilter(Scenario: s02.Name)).Items);
        Assert.Equal(journaled.ExplorationId, exploration.ExplorationId);
        Assert.True(exploration.Exhausted);
        Assert.Equal(journaled.FindingJournalIds, exploration.Findings.Select(f => f.JournalId));
        Assert.Empty(store.ListRuns(new JournalFilter(Since: RecordedAt.AddSeconds(1))).Items);
    }
}
