using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Tests.Persistence;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>Bind journals on PostgreSQL, the store several hosts share: the same records, queries and replays as on SQLite.</summary>
public sealed class PostgresBindJournalSpec : IDisposable
{
    private readonly string schema = PostgresServer.NewSchemaName();

    public void Dispose()
    {
        if (PostgresServer.ConnectionString is not null)
            PostgresServer.DropSchema(schema);
    }

    [PostgresFact]
    public void Explored_findings_are_stored_listed_and_replayed_identically()
    {
        var scenario = Scenario("s02");
        using var store = BindJournalStore.Open(PostgresServer.Journal(schema), $"postgres schema {schema}");

        var (result, journaled) = ExploreInto(store, scenario, Design(scenario, "v2-close-op-lock-first"));

        Assert.Equal(result.Findings.Count, journaled.FindingJournalIds.Count);
        Assert.Equal(journaled.FindingJournalIds.Distinct().Order(), store.ListRuns(new JournalFilter(Scenario: scenario.Name)).Items.Select(r => r.JournalId).Order());
        Assert.Single(store.ListExplorations(new JournalFilter(Finding: "deadlock")).Items);
        foreach (var id in journaled.FindingJournalIds.Distinct())
        {
            var report = BindReplay.Replay(store, id);
            Assert.True(report.Identical, $"{id}: {report.Divergence}");
            Assert.True(report.SameFindings);
        }
    }
}
