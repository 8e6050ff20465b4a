using System.Text.Json.Nodes;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Persistence;
using Gpuvmsim.Tests.Scenarios;

namespace Gpuvmsim.Tests.Host;

/// <summary><c>gpuvmsim shrink</c> end to end: its JSON, the journal it stores, and its exit statuses.</summary>
public sealed class ShrinkCommandSpec : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static string S02 => Path.Combine(ScenarioLibrarySpec.LibraryFolder, "s02-vm-close-during-job-run.conf");

    [Fact]
    public async Task Shrink_prints_both_journals_and_sizes_and_the_new_journal_replays_identically()
    {
        var db = folder.File("j.db");
        var (exit, stdout, stderr) = await GpuvmsimProcess.Run("explore", S02, "--design", "v2-close-op-lock-first", "--strategy", "dfs", "--journal", db, "--json");
        Assert.True(exit == 0, stderr);
        var id = JsonNode.Parse(stdout)!["findings"]!.AsArray().First(f => f!["kind"]!.GetValue<string>() == "deadlock")!["journal_id"]!.GetValue<string>();

        (exit, stdout, stderr) = await GpuvmsimProcess.Run("shrink", id, "--journal", db, "--finding", "deadlock", "--json");

        Assert.True(exit == 0, stderr);
        var shrunk = JsonNode.Parse(stdout)!;
        Assert.Equal(id, shrunk["journal_id"]!.GetValue<string>());
        var newId = shrunk["shrunk_journal_id"]!.GetValue<string>();
        Assert.Equal("deadlock", shrunk["finding"]!["kind"]!.GetValue<string>());
        Assert.StartsWith("waits-for cycle:", shrunk["finding"]!["summary"]!.GetValue<string>());
        Assert.True(shrunk["shrunk"]!["steps"]!.GetValue<int>() < shrunk["original"]!["steps"]!.GetValue<int>());
        Assert.True(shrunk["shrunk"]!["schedule_length"]!.GetValue<int>() < shrunk["original"]!["schedule_length"]!.GetValue<int>());
        var scenario = ScenarioParser.ParseString(shrunk["scenario"]!.GetValue<string>());
        Assert.Equal("s02-vm-close-during-job-run", scenario.Name);

        (exit, var replayed, stderr) = await GpuvmsimProcess.Run("replay", newId, "--journal", db, "--json");
        Assert.True(exit == 0, stderr);
        var replay = JsonNode.Parse(replayed)!;
        Assert.True(replay["identical"]!.GetValue<bool>());
        Assert.Contains("deadlock", replay["verdict"]!.AsArray().Select(k => k!.GetValue<string>()));

        (exit, var again, _) = await GpuvmsimProcess.Run("shrink", id, "--journal", db, "--finding", "deadlock", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(stdout, again);

        (exit, var listed, stderr) = await GpuvmsimProcess.Run("journal", "list", "--journal", db, "--json");
        Assert.True(exit == 0, stderr);
        var link = JsonNode.Parse(listed)!["runs"]!.AsArray().Single(r => r!["journal_id"]!.GetValue<string>() == newId)!;
        Assert.Equal(id, link["shrunk_from"]!.GetValue<string>());

        using var store = BindJournalStore.Open(db, create: false);
        Assert.Equal([newId], store.ListShrunkFrom(id).Select(r => r.JournalId));
    }

    [Fact]
    public async Task Human_output_names_the_finding_the_sizes_and_how_to_replay()
    {
        var db = folder.File("j.db");
        var (_, stdout, _) = await GpuvmsimProcess.Run("run", S02, "--design", "v2-close-op-lock-first", "--seed", "1", "--journal", db, "--json");
        var id = JsonNode.Parse(stdout)!["journal_id"]!.GetValue<string>();

        var (exit, text, stderr) = await GpuvmsimProcess.Run("shrink", id, "--journal", db);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"journal {id}: scenario s02-vm-close-during-job-run, design v2-close-op-lock-first", text);
        Assert.Contains("finding: lock-order-inversion: ", text);
        Assert.Contains("original: 4 step(s), schedule of ", text);
        Assert.Contains("shrunk:   2 step(s), schedule of ", text);
        Assert.Matches($@"stored as r-[0-9a-f]{{16}} \(shrunk from {id}\): gpuvmsim replay r-[0-9a-f]{{16}} --journal ", text);
        Assert.Contains("shrunk scenario:\nscenario {", text);
    }

    [Fact]
    public async Task Bad_shrink_input_exits_2_with_one_message()
    {
        var missing = folder.File("missing.db");
        var (exit, _, stderr) = await GpuvmsimProcess.Run("shrink", "r-0123456789abcdef", "--journal", missing);
        Assert.Equal(2, exit);
        Assert.Contains($"{missing}: no journal database there", stderr);
        Assert.False(File.Exists(missing));

        var notADatabase = folder.File("notes.txt");
        await File.WriteAllTextAsync(notADatabase, "not a journal");
        (exit, _, stderr) = await GpuvmsimProcess.Run("shrink", "r-0123456789abcdef", "--journal", notADatabase);
        Assert.Equal(2, exit);
        Assert.Contains(notADatabase, stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("shrink", "r-0123456789abcdef", "--journal", "postgres://");
        Assert.Equal(2, exit);
        Assert.Contains("not a valid PostgreSQL URL", stderr);

        var db = folder.File("j.db");
        var (_, stdout, _) = await GpuvmsimProcess.Run("run", S02, "--design", "v2-fixed", "--seed", "5", "--journal", db, "--json");
        var clean = JsonNode.Parse(stdout)!["journal_id"]!.GetValue<string>();
        (_, stdout, _) = await GpuvmsimProcess.Run("run", S02, "--design", "v2", "--seed", "2", "--journal", db, "--json");
        var leaky = JsonNode.Parse(stdout)!["journal_id"]!.GetValue<string>();

        (exit, _, stderr) = await GpuvmsimProcess.Run("shrink", "r-0123456789abcdef", "--journal", db);
        Assert.Equal(2, exit);
        Assert.Contains("no bind journal r-0123456789abcdef", stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("shrink", clean, "--journal", db);
        Assert.Equal(2, exit);
        Assert.Contains($"journal {clean} recorded no finding", stderr);

        (exit, var output, stderr) = await GpuvmsimProcess.Run("shrink", leaky, "--journal", db, "--finding", "deadlock", "--json");
        Assert.Equal(2, exit);
        Assert.Contains($"--finding: journal {leaky} recorded no deadlock finding; it recorded [leak]", stderr);
        Assert.Equal("", output);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
