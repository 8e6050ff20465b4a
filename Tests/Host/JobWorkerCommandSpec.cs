using System.Text.Json.Nodes;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.Jobs;
using Gpuvmsim.Tests.Persistence;
using Gpuvmsim.Tests.Scenarios;

namespace Gpuvmsim.Tests.Host;

/// <summary><c>job submit</c>, <c>worker</c> and <c>job status</c> end to end: worker processes sharing one job through PostgreSQL.</summary>
public sealed class JobWorkerCommandSpec : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string schema = PostgresServer.NewSchemaName();
    private readonly Lazy<string> database;

    public JobWorkerCommandSpec() => database = new(() => PostgresServer.SearchPathTarget(schema));

    public void Dispose()
    {
        folder.Dispose();
        if (database.IsValueCreated)
            PostgresServer.DropSchema(schema);
    }

    private static string S02 => Path.Combine(ScenarioLibrarySpec.LibraryFolder, "s02-vm-close-during-job-run.conf");

    private static readonly string[] Setup = ["--design", "v2-close-op-lock-first", "--strategy", "random", "--seed", "5", "--budget", "48"];

    [PostgresFact]
    public async Task Two_worker_processes_finish_one_job_whose_status_is_what_explore_prints()
    {
        var (exit, stdout, stderr) = await GpuvmsimProcess.Run(["job", "submit", S02, .. Setup, "--range-size", "4", "--journal", database.Value, "--json"]);
        Assert.True(exit == 0, stderr);
        var submitted = JsonNode.Parse(stdout)!;
        Assert.Equal(12, submitted["ranges"]!.GetValue<int>());
        var id = submitted["job_id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);

        (exit, stdout, stderr) = await GpuvmsimProcess.Run("job", "status", id, "--journal", database.Value, "--json");
        Assert.True(exit == 0, stderr);
        var pending = JsonNode.Parse(stdout)!;
        Assert.Equal(("running", 12, 0L), (pending["state"]!.GetValue<string>(), pending["pending"]!.GetValue<int>(), pending["schedules_done"]!.GetValue<long>()));

        var workers = await Task.WhenAll(
            GpuvmsimProcess.Run("worker", "--journal", database.Value, "--job", id, "--exit-when-idle"),
            GpuvmsimProcess.Run("worker", "--journal", database.Value, "--job", id, "--exit-when-idle"));
        Assert.All(workers, w => Assert.True(w.ExitCode == 0, w.Stderr));

        using (var jobs = JobStore.Open(database.Value))
        {
            var progress = jobs.Progress(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(JobStates.Done, progress.Job.State);
            Assert.All(progress.Ranges, r => Assert.Equal((RangeStates.Done, 1), (r.State, r.Claims)));
            using var journal = BindJournalStore.Open(database.Value, create: false);
            Assert.Equal([progress.Job.ExplorationId], journal.ListExplorations(new JournalFilter()).Items.Select(x => x.ExplorationId));
        }

        (exit, stdout, stderr) = await GpuvmsimProcess.Run("job", "status", id, "--journal", database.Value, "--json");
        Assert.True(exit == 0, stderr);
        var status = JsonNode.Parse(stdout)!.AsObject();
        (exit, stdout, stderr) = await GpuvmsimProcess.Run(["explore", S02, .. Setup, "--journal", database.Value, "--json"]);
        Assert.True(exit == 0, stderr);
        var explored = JsonNode.Parse(stdout)!.AsObject();
        // Exploration ids are each invocation's own; the finding journals are content-addressed, hence the same.
        Assert.NotEqual(status["exploration_id"]!.GetValue<string>(), explored["exploration_id"]!.GetValue<string>());
        status.Remove("exploration_id");
        explored.Remove("exploration_id");
        Assert.Equal(explored.ToJsonString(), status.ToJsonString());
        Assert.NotEmpty(status["findings"]!.AsArray());

        foreach (var finding in status["findings"]!.AsArray())
        {
            (exit, stdout, stderr) = await GpuvmsimProcess.Run("replay", finding!["journal_id"]!.GetValue<string>(), "--journal", database.Value, "--json");
            Assert.True(exit == 0, stderr);
            Assert.True(JsonNode.Parse(stdout)!["identical"]!.GetValue<bool>());
        }
    }

    [Theory]
    [InlineData("worker", "--journal", "{db}")]
    [InlineData("job", "submit", "{s02}", "--journal", "{db}")]
    [InlineData("job", "status", "1", "--journal", "{db}")]
    public async Task Jobs_refuse_a_SQLite_journal_and_create_no_file(params string[] arguments)
    {
        var db = folder.File("jobs.db");
        var (exit, _, stderr) = await GpuvmsimProcess.Run([.. arguments.Select(a => a.Replace("{db}", db, StringComparison.Ordinal).Replace("{s02}", S02, StringComparison.Ordinal))]);

        Assert.Equal(2, exit);
        Assert.Contains($"--journal: '{db}' is not a PostgreSQL database", stderr);
        Assert.False(File.Exists(db));
    }

    [PostgresFact]
    public async Task Unknown_jobs_bad_scenarios_and_unsplittable_strategies_exit_2()
    {
        var (exit, _, stderr) = await GpuvmsimProcess.Run("job", "status", "999", "--journal", database.Value);
        Assert.Equal(2, exit);
        Assert.Contains("no job 999", stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("worker", "--journal", database.Value, "--job", "999", "--exit-when-idle");
        Assert.Equal(2, exit);
        Assert.Contains("no job 999", stderr);

        var broken = folder.File("broken.conf");
        File.WriteAllText(broken, "scenario { name = broken, contexts = [ { name = T1, steps = [ { lock = NOPE } ] } ] }\n");
        (exit, _, stderr) = await GpuvmsimProcess.Run("job", "submit", broken, "--journal", database.Value);
        Assert.Equal(2, exit);
        Assert.Contains("broken.conf", stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("job", "submit", S02, "--strategy", "dfs", "--journal", database.Value);
        Assert.Equal(2, exit);
        Assert.Contains("'dfs' cannot be shared as a job", stderr);

        (exit, _, stderr) = await GpuvmsimProcess.Run("worker", "--journal", database.Value, "--lease", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--lease must be > 0", stderr);
    }
}
