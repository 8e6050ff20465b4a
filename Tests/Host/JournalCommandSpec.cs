using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gpuvmsim.Tests.BindJournals;
using Microsoft.Data.Sqlite;

namespace Gpuvmsim.Tests.Host;

/// <summary><c>gpuvmsim journal list|show|events|export|diff</c> end to end on a journal written by real explorations and runs.</summary>
public sealed class JournalCommandSpec(InspectedJournal journal) : IClassFixture<InspectedJournal>
{
    private Task<(int ExitCode, string Stdout, string Stderr)> Journal(params string[] arguments) =>
        GpuvmsimProcess.Run(["journal", .. arguments, "--journal", journal.Database]);

    private static async Task<JsonNode> Json(Task<(int ExitCode, string Stdout, string Stderr)> run)
    {
        var (exit, stdout, stderr) = await run;
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }

    private static IEnumerable<string> Ids(JsonNode list, string array, string field) =>
        list[array]!.AsArray().Select(r => r![field]!.GetValue<string>());

    [Fact]
    public async Task List_shows_every_run_and_filters_by_scenario_design_finding_and_date()
    {
        var all = Ids(await Json(Journal("list", "--json")), "runs", "journal_id").ToList();
        var expected = journal.S02Exploration.FindingJournalIds.Concat(journal.AbbaExploration.FindingJournalIds)
            .Append(journal.Seed1).Append(journal.Seed2).Append(journal.S01Run).Distinct();
        Assert.Equal(expected.Order(), all.Order());

        Assert.Equal([journal.S01Run], Ids(await Json(Journal("list", "--json", "--scenario", journal.S01Name)), "runs", "journal_id"));
        Assert.Equal([journal.S01Run], Ids(await Json(Journal("list", "--json", "--design", "v2-fixed")), "runs", "journal_id"));
        var deadlocks = Ids(await Json(Journal("list", "--json", "--finding", "deadlock")), "runs", "journal_id").ToList();
        Assert.Contains(journal.DeadlockRun, deadlocks);
        Assert.DoesNotContain(journal.S01Run, deadlocks);
        Assert.Equal(all.Count, Ids(await Json(Journal("list", "--json", "--since", "2026-11-21", "--until", "2026-11-21")), "runs", "journal_id").Count());
        Assert.Empty(Ids(await Json(Journal("list", "--json", "--since", "2026-11-21T12:00:01Z")), "runs", "journal_id"));
        Assert.Empty(Ids(await Json(Journal("list", "--json", "--until", "2026-11-20")), "runs", "journal_id"));

        var explorations = Ids(await Json(Journal("list", "--explorations", "--json")), "explorations", "exploration_id");
        Assert.Equal([journal.S02Exploration.ExplorationId, journal.AbbaExploration.ExplorationId], explorations);

        var (exit, human, _) = await Journal("list", "--scenario", journal.S01Name);
        Assert.Equal(0, exit);
        var line = Assert.Single(human.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(journal.S01Run, line);
        Assert.Contains("2026-11-21 12:00:00Z", line);
        Assert.Contains("random/1", line);
    }

    [Fact]
    public async Task Show_prints_metadata_knobs_schedule_length_and_the_lockdep_reports_of_the_findings()
    {
        var shown = await Json(Journal("show", journal.DeadlockRun, "--json"));
        Assert.Equal(journal.S02Name, shown["scenario"]!.GetValue<string>());
        Assert.Equal("v2-close-op-lock-first", shown["design"]!.GetValue<string>());
        Assert.Equal("on", shown["knobs"]!["close-takes-op-lock-first"]!.GetValue<string>());
        Assert.Equal(shown["steps"]!.GetValue<long>(), shown["schedule_deliveries"]!.GetValue<long>());
        var kinds = shown["findings"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).Order();
        Assert.Equal(["deadlock", "lock-order-inversion"], kinds);

        var (exit, human, stderr) = await Journal("show", journal.DeadlockRun);
        Assert.True(exit == 0, stderr);
        Assert.Contains("WARNING: possible circular locking dependency detected", human);
        Assert.Contains("close-takes-op-lock-first=on", human);

        var exploration = await Json(Journal("show", journal.S02Exploration.ExplorationId, "--json"));
        Assert.True(exploration["exhausted"]!.GetValue<bool>());
        Assert.Equal(journal.S02Exploration.FindingJournalIds, exploration["findings"]!.AsArray().Select(f => f!["journal_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Events_lists_deliveries_in_step_order_each_followed_by_the_world_events_it_caused()
    {
        var events = (await Json(Journal("events", journal.Seed1, "--json")))["events"]!.AsArray();

        var deliveries = events.Where(e => e!["kind"]!.GetValue<string>() == "delivery").Select(e => e!["step"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(0, deliveries.Count).Select(i => (long)i), deliveries);
        var worldEvents = events.Where(e => e!["kind"]!.GetValue<string>() == "world-event").ToList();
        Assert.NotEmpty(worldEvents);
        Assert.All(worldEvents, e => Assert.StartsWith($"bind/{journal.Seed1}/", e!["stream"]!.GetValue<string>()));
        Assert.All(worldEvents, e => Assert.EndsWith(".v1", e!["manifest"]!.GetValue<string>()));
        long step = -1;
        foreach (var e in events)
        {
            var at = e!["step"]!.GetValue<long>();
            Assert.True(at >= step);
            step = at;
        }
    }

    [Fact]
    public async Task Export_writes_json_lines_a_chrome_trace_lockdep_text_and_a_dot_graph()
    {
        var files = new Dictionary<string, string>();
        foreach (var format in new[] { "jsonl", "chrome", "lockdep", "dot" })
        {
            files[format] = journal.TempFile($"{journal.DeadlockRun}.{format}");
            var (exit, stdout, stderr) = await Journal("export", journal.DeadlockRun, "--format", format, "-o", files[format]);
            Assert.True(exit == 0, stderr);
            Assert.Empty(stdout);
        }

        var lines = File.ReadAllLines(files["jsonl"]);
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        Assert.Contains(lines, line => line.Contains("\"kind\":\"world-event\"", StringComparison.Ordinal));
        using (var chrome = JsonDocument.Parse(File.ReadAllText(files["chrome"])))
            Assert.Contains(chrome.RootElement.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("ph").GetString() == "B" && e.GetProperty("name").GetString() == "V.op_lock");
        var lockdep = File.ReadAllText(files["lockdep"]);
        Assert.Contains("WARNING: possible circular locking dependency detected", lockdep);
        Assert.Contains("INFO: deadlock: waits-for cycle detected", lockdep);
        var dot = File.ReadAllText(files["dot"]);
        Assert.StartsWith("digraph lockdep {", dot);
        Assert.Contains("color=red", dot);

        var (code, explorationDot, _) = await Journal("export", journal.S02Exploration.ExplorationId, "--format", "dot");
        Assert.Equal(0, code);
        Assert.StartsWith("digraph lockdep {", explorationDot);
    }

    [Fact]
    public async Task Diff_of_two_seeds_shows_both_sides_where_they_part()
    {
        var diff = await Json(Journal("diff", journal.Seed1, journal.Seed2, "--json"));

        Assert.False(diff["identical"]!.GetValue<bool>());
        var seed = Assert.Single(diff["setup"]!.AsArray());
        Assert.Equal("seed", seed!["field"]!.GetValue<string>());
        var trace = diff["trace"]!;
        Assert.NotEqual(trace["a"]!.GetValue<string>(), trace["b"]!.GetValue<string>());
        Assert.StartsWith($"{trace["step"]!.GetValue<long>()} @", trace["a"]!.GetValue<string>());
        Assert.True(diff["schedule"]!["step"]!.GetValue<long>() <= trace["step"]!.GetValue<long>());

        var same = await Json(Journal("diff", journal.Seed1, journal.Seed1, "--json"));
        Assert.True(same["identical"]!.GetValue<bool>());
        var (exit, human, _) = await Journal("diff", journal.Seed1, journal.Seed2);
        Assert.Equal(0, exit);
        Assert.Contains("traces part at step", human);
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_message_and_creates_no_database()
    {
        var missing = journal.TempFile("absent.db");
        var (exit, _, stderr) = await GpuvmsimProcess.Run("journal", "list", "--journal", missing);
        Assert.Equal(2, exit);
        Assert.Contains($"{missing}: no journal database there", stderr);
        Assert.False(File.Exists(missing));

        (exit, _, stderr) = await Journal("show", "r-0123456789abcdef");
        Assert.Equal(2, exit);
        Assert.Contains("no bind journal r-0123456789abcdef", stderr);

        (exit, _, stderr) = await Journal("events", "banana");
        Assert.Equal(2, exit);
        Assert.Contains("'banana' is not a bind journal id", stderr);

        (exit, _, stderr) = await Journal("events", journal.S02Exploration.ExplorationId);
        Assert.Equal(2, exit);
        Assert.Contains("is an exploration", stderr);

        (exit, _, stderr) = await Journal("export", journal.Seed1, "--format", "svg");
        Assert.Equal(2, exit);
        Assert.Contains("--format: 'svg' is not one of jsonl, chrome, lockdep, dot", stderr);

        (exit, _, stderr) = await Journal("list", "--since", "yesterday-ish");
        Assert.Equal(2, exit);
        Assert.Contains("--since: 'yesterday-ish' is not a date", stderr);

        var notADatabase = journal.TempFile("notes.txt");
        await File.WriteAllTextAsync(notADatabase, "not a database");
        (exit, _, _) = await GpuvmsimProcess.Run("journal", "list", "--journal", notADatabase);
        Assert.Equal(2, exit);
        Assert.Equal("not a database", await File.ReadAllTextAsync(notADatabase));
    }

    [Fact]
    public async Task List_names_a_damaged_header_on_stderr_lists_the_other_runs_and_exits_2()
    {
        var copy = journal.TempFile("damaged-header.db");
        File.Copy(journal.Database, copy);
        using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE journal SET message = CAST('{' AS BLOB) WHERE persistence_id = $run AND sequence_number = 1";
            damage.Parameters.AddWithValue("$run", $"bind/{journal.Seed1}");
            Assert.Equal(1, damage.ExecuteNonQuery());
        }

        var (exit, stdout, stderr) = await GpuvmsimProcess.Run("journal", "list", "--json", "--journal", copy);

        Assert.Equal(2, exit);
        var listed = Ids(JsonNode.Parse(stdout)!, "runs", "journal_id").ToList();
        Assert.DoesNotContain(journal.Seed1, listed);
        Assert.Contains(journal.Seed2, listed);
        Assert.Contains($"sequence 1 of pid 'bind/{journal.Seed1}' cannot be read", stderr);
        Assert.Contains("left out of the list", stderr);
    }

    [Fact]
    public async Task Inspecting_leaves_the_database_file_byte_for_byte_unchanged()
    {
        var before = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(journal.Database)));

        foreach (string[] arguments in new string[][]
        {
            ["list"], ["list", "--explorations"], ["show", journal.DeadlockRun], ["events", journal.DeadlockRun],
            ["export", journal.DeadlockRun, "--format", "chrome"], ["export", journal.DeadlockRun, "--format", "dot"],
            ["diff", journal.Seed1, journal.Seed2],
        })
        {
            var (exit, _, stderr) = await Journal(arguments);
            Assert.True(exit == 0, $"{string.Join(' ', arguments)}: {stderr}");
        }
        Assert.Equal(2, (await Journal("show", "r-0123456789abcdef")).ExitCode);

        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(journal.Database))));
    }
}
