using System.Text.Json.Nodes;
using Gpuvmsim.Tests.Persistence;
using Gpuvmsim.Tests.Scenarios;

namespace Gpuvmsim.Tests.Host;

/// <summary><c>explore --journal</c>, <c>run --journal</c> and <c>replay</c> end to end, as scripts drive them (cli-contract.md).</summary>
public sealed class JournaledRunCommandSpec : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static string S02 => Path.Combine(ScenarioLibrarySpec.LibraryFolder, "s02-vm-close-during-job-run.conf");

    [Fact]
    public async Task Each_explored_finding_gets_a_journal_that_replays_identically()
    {
        var db = folder.File("j.db");
        var (exit, stdout, stderr) = await GpuvmsimProcess.Run("explore", S02, "--design", "v2-close-op-lock-first", "--strategy", "dfs", "--journal", db, "--json");
        Assert.True(exit == 0, stderr);
        var explored = JsonNode.Parse(stdout)!;
        Assert.StartsWith("x-", explored["exploration_id"]!.GetValue<string>());
        var findings = explored["findings"]!.AsArray();
        Assert.Equal(["deadlock", "leak", "lock-order-inversion"], findings.Select(f => f!["kind"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        foreach (var finding in findings)
        {
            var id = finding!["journal_id"]!.GetValue<string>();
            (exit, stdout, stderr) = await GpuvmsimProcess.Run("replay", id, "--journal", db, "--json");
            Assert.True(exit == 0, stderr);
            var replay = JsonNode.Parse(stdout)!;
            Assert.Equal(id, replay["journal_id"]!.GetValue<string>());
            Assert.True(replay["identical"]!.GetValue<bool>());
            Assert.Equal(finding["trace_sha256"]!.GetValue<string>(), replay["trace_sha256"]!.GetValue<string>());
            Assert.Contains(finding["kind"]!.GetValue<string>(), replay["verdict"]!.AsArray().Select(k => k!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_single_run_is_journaled_even_when_it_finds_nothing_and_fail_on_findings_exits_3()
    {
        var db = folder.File("j.db");
        var (exit, stdout, stderr) = await GpuvmsimProcess.Run("run", S02, "--design", "v2-fixed", "--seed", "5", "--journal", db, "--json");
        Assert.True(exit == 0, stderr);
        var run = JsonNode.Parse(stdout)!;
        Assert.Empty(run["findings"]!.AsArray());
        var id = run["journal_id"]!.GetValue<string>();

        (exit, stdout, _) = await GpuvmsimProcess.Run("replay", id, "--journal", db, "--json", "--fail-on-findings");
        Assert.Equal(0, exit);
        Assert.Empty(JsonNode.Parse(stdout)!["verdict"]!.AsArray());

        (exit, stdout, _) = await GpuvmsimProcess.Run("run", S02, "--design", "v2-close-op-lock-first", "--strategy", "fifo", "--journal", db, "--json");
        var leaky = JsonNode.Parse(stdout)!["journal_id"]!.GetValue<string>();
        Assert.Equal(0, exit);
        (exit, _, _) = await GpuvmsimProcess.Run("replay", leaky, "--journal", db, "--fail-on-findings");
        Assert.Equal(3, exit);
    }

    [Fact]
    public async Task Replay_with_an_injected_failure_reports_the_restart_and_stays_identical()
    {
        var db = folder.File("j.db");
        var (_, stdout, _) = await GpuvmsimProcess.Run("run", S02, "--seed", "3", "--journal", db, "--json");
        var id = JsonNode.Parse(stdout)!["journal_id"]!.GetValue<string>();

        var (exit, replayed, stderr) = await GpuvmsimProcess.Run("replay", id, "--journal", db, "--json", "--fail-at", "10");

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(replayed)!;
        Assert.True(report["identical"]!.GetValue<bool>());
        var failure = report["injected_failure"]!;
        Assert.True(failure["fired"]!.GetValue<bool>());
        Assert.True(failure["recovered"]!.GetValue<bool>());
        Assert.True(failure["step"]!.GetValue<long>() >= 10);
    }

    [Fact]
    public async Task Bad_replay_input_exits_2_naming_what_is_wrong_and_creates_no_database()
    {
        var missing = folder.File("missing.db");
        var (exit, _, stderr) = await GpuvmsimProcess.Run("replay", "r-0123456789abcdef", "--journal", missing);
        Assert.Equal(2, exit);
        Assert.Contains($"{missing}: no journal database there", stderr);
        Assert.False(File.Exists(missing));

        var db = folder.File("j.db");
        await GpuvmsimProcess.Run("run", S02, "--journal", db);
        (exit, _, stderr) = await GpuvmsimProcess.Run("replay", "r-0123456789abcdef", "--journal", db);
        Assert.Equal(2, exit);
        Assert.Contains("no bind journal r-0123456789abcdef", stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("replay", "banana", "--journal", db);
        Assert.Equal(2, exit);
        Assert.Contains("'banana' is not a bind journal id", stderr);
    }

    [Fact]
    public async Task Replay_and_shrink_refuse_a_database_without_journal_tables_and_leave_it_byte_for_byte_unchanged()
    {
        var foreign = folder.File("other-app.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'x');";
            create.ExecuteNonQuery();
        }
        var empty = folder.File("empty.db");
        await File.WriteAllBytesAsync(empty, []);

        foreach (var db in new[] { foreign, empty })
        {
            var before = await File.ReadAllBytesAsync(db);
            foreach (var verb in new[] { "replay", "shrink" })
            {
                var (exit, _, stderr) = await GpuvmsimProcess.Run(verb, "r-0123456789abcdef", "--journal", db);

                Assert.True(exit == 2, $"{verb} {db}: {stderr}");
                Assert.StartsWith($"{db}: ", stderr);
                Assert.Equal(before, await File.ReadAllBytesAsync(db));
            }
        }
    }
}
