using System.Text.Json.Nodes;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.BindJournals;
using Gpuvmsim.Tests.Persistence;
using Npgsql;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.Host;

/// <summary><c>gpuvmsim journal</c> on PostgreSQL: the same inspection, in a read-only session that creates and changes nothing.</summary>
public sealed class PostgresJournalCommandSpec : IDisposable
{
    private readonly string schema = PostgresServer.NewSchemaName();
    private readonly string emptySchema = PostgresServer.NewSchemaName();

    public void Dispose()
    {
        if (PostgresServer.ConnectionString is null)
            return;
        PostgresServer.DropSchema(schema);
        PostgresServer.DropSchema(emptySchema);
    }

    private static string Target(string schemaName) => $"{PostgresServer.ConnectionString};Search Path={schemaName}";

    private long Rows()
    {
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT (SELECT count(*) FROM \"{schema}\".journal) + (SELECT count(*) FROM \"{schema}\".tags)", connection);
        return (long)command.ExecuteScalar()!;
    }

    [PostgresFact]
    public async Task Runs_are_listed_shown_exported_and_diffed_without_writing_anything()
    {
        string seed1, seed2;
        JournaledExploration abba;
        using (var store = BindJournalStore.Open(PostgresServer.Journal(schema), $"postgres schema {schema}"))
        {
            var scenario = ScenarioParser.ParseString(InspectedJournal.AbbaText, "abba.conf");
            (_, abba) = ExploreInto(store, scenario, Design(scenario, "v2"));
            var s02 = Scenario("s02");
            seed1 = RunInto(store, s02, Design(s02, "v2"), 1);
            seed2 = RunInto(store, s02, Design(s02, "v2"), 2);
        }
        var rows = Rows();
        var target = Target(schema);

        var (exit, stdout, stderr) = await GpuvmsimProcess.Run("journal", "list", "--journal", target, "--json");
        Assert.True(exit == 0, stderr);
        var listed = JsonNode.Parse(stdout)!["runs"]!.AsArray().Select(r => r!["journal_id"]!.GetValue<string>());
        Assert.Equal(abba.FindingJournalIds.Distinct().Append(seed1).Append(seed2).Order(), listed.Order());

        var run = abba.FindingJournalIds[0];
        (exit, stdout, stderr) = await GpuvmsimProcess.Run("journal", "show", run, "--journal", target);
        Assert.True(exit == 0, stderr);
        Assert.Contains("WARNING: possible circular locking dependency detected", stdout);

        (exit, stdout, stderr) = await GpuvmsimProcess.Run("journal", "export", run, "--journal", target, "--format", "chrome");
        Assert.True(exit == 0, stderr);
        Assert.Contains(JsonNode.Parse(stdout)!["traceEvents"]!.AsArray(), e => e!["ph"]!.GetValue<string>() == "B" && e["name"]!.GetValue<string>() == "A");

        (exit, stdout, stderr) = await GpuvmsimProcess.Run("journal", "diff", seed1, seed2, "--journal", target, "--json");
        Assert.True(exit == 0, stderr);
        Assert.False(JsonNode.Parse(stdout)!["identical"]!.GetValue<bool>());

        using (var readOnly = BindJournalStore.OpenReadOnly(target))
        {
            var exploration = readOnly.LoadExploration(abba.ExplorationId);
            var refused = Assert.ThrowsAny<Exception>(() => readOnly.SaveExploration(exploration with { ExplorationId = BindJournalIds.NewExploration() }));
            Assert.Matches("(?i)read-?only", refused.ToString());
        }
        Assert.Equal(rows, Rows());
    }

    [PostgresFact]
    public async Task A_schema_without_journal_tables_exits_2_and_gets_none()
    {
        using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE SCHEMA \"{emptySchema}\"", connection);
            create.ExecuteNonQuery();
        }

        var (exit, _, stderr) = await GpuvmsimProcess.Run("journal", "list", "--journal", Target(emptySchema));

        Assert.Equal(2, exit);
        Assert.Contains("missing", stderr);
        using var check = new NpgsqlConnection(PostgresServer.ConnectionString);
        check.Open();
        using var tables = new NpgsqlCommand($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{emptySchema}'", check);
        Assert.Equal(0L, (long)tables.ExecuteScalar()!);
    }
}
