using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Persistence;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>
/// A journal database to inspect, written the way <c>explore --journal</c> and <c>run --journal</c> write it: an
/// exhaustive exploration of S2 under the broken close order (deadlock, inversion, leak), an ABBA lock script, two
/// random runs of S2 under v2 that differ only in their seed, and one run of S1.
/// </summary>
public sealed class InspectedJournal : IDisposable
{
    public const string AbbaText = """
        scenario {
          name = "abba"
          locks = [ { name = A, kind = mutex }, { name = B, kind = mutex } ]
          contexts = [
            { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
            { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
          ]
        }
        """;

    private readonly TempDirectory folder = new();

    public InspectedJournal()
    {
        Database = folder.File("inspected.db");
        using var store = BindJournalStore.Open(Database, create: true);
        var s02 = Scenario("s02");
        (_, S02Exploration) = ExploreInto(store, s02, Design(s02, "v2-close-op-lock-first"));
        var abba = ScenarioParser.ParseString(AbbaText, "abba.conf");
        (_, AbbaExploration) = ExploreInto(store, abba, Design(abba, "v2"));
        Seed1 = RunInto(store, s02, Design(s02, "v2"), 1);
        Seed2 = RunInto(store, s02, Design(s02, "v2"), 2);
        var s01 = Scenario("s01");
        S01Run = RunInto(store, s01, Design(s01, "v2-fixed"), 1);
        S02Name = s02.Name;
        S01Name = s01.Name;
    }

    public string Database { get; }

    public JournaledExploration S02Exploration { get; }

    public JournaledExploration AbbaExploration { get; }

    public string Seed1 { get; }

    public string Seed2 { get; }

    public string S01Run { get; }

    public string S02Name { get; }

    public string S01Name { get; }

    /// <summary>The S2 run whose findings are the deadlock and the lock-order inversion.</summary>
    public string DeadlockRun => deadlockRun ??= FindDeadlockRun();

    private string? deadlockRun;

    private string FindDeadlockRun()
    {
        using var store = BindJournalStore.OpenReadOnly(Database);
        return S02Exploration.FindingJournalIds.Distinct().Single(id => store.LoadHeader(id).Verdict.Contains("deadlock"));
    }

    public string TempFile(string name) => folder.File(name);

    public void Dispose() => folder.Dispose();
}
