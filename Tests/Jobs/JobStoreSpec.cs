using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.Jobs;
using Gpuvmsim.Tests.Persistence;
using Npgsql;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.Jobs;

/// <summary>The job tables on PostgreSQL: claims that skip each other, leases that expire, results only the current claim stores, one merge.</summary>
public sealed class JobStoreSpec : IDisposable
{
    private readonly string schema = PostgresServer.NewSchemaName();
    private readonly Lazy<string> target;

    public JobStoreSpec() => target = new(() => PostgresServer.SearchPathTarget(schema));

    public void Dispose()
    {
        if (target.IsValueCreated)
            PostgresServer.DropSchema(schema);
    }

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [PostgresFact]
    public async Task A_worker_finishes_a_job_into_one_journaled_exploration_equal_to_the_one_process_exploration()
    {
        using var jobs = JobStore.Open(target.Value);
        using var journal = BindJournalStore.Open(target.Value, create: true);
        var (scenario, design, options) = S02(budget: 30);
        var id = jobs.Submit(JobSpec.Of(scenario, design, options, rangeSize: 7));

        var summary = await new JobWorker(jobs, journal, new JobWorkerOptions { ExitWhenIdle = true, Parallelism = 1 }, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(new WorkerSummary(5, 1), summary);
        var progress = jobs.Progress(id);
        Assert.Equal(JobStates.Done, progress.Job.State);
        Assert.All(progress.Ranges, r => Assert.Equal((RangeStates.Done, 1), (r.State, r.Claims)));
        var exploration = Assert.Single(journal.ListExplorations(new JournalFilter()).Items);
        Assert.Equal(progress.Job.ExplorationId, exploration.ExplorationId);
        var whole = Explorer.Explore(scenario, design, options, Worlds.For(scenario));
        Assert.Equal((whole.Schedules, whole.Deliveries), (exploration.Schedules, exploration.Deliveries));
        Assert.Equal(whole.Findings.Select(f => (f.Kind, f.ScheduleIndex, f.Schedule, f.TraceSha256)),
            exploration.Findings.Select(f => (f.Kind, f.ScheduleIndex, f.Schedule, f.TraceSha256)));
        foreach (var finding in exploration.Findings)
            Assert.True(BindReplay.Replay(journal, finding.JournalId).Identical, finding.JournalId);
    }

    [PostgresFact]
    public void A_claim_skips_the_ranges_other_workers_hold_or_are_claiming_right_now()
    {
        using var jobs = JobStore.Open(target.Value);
        var (scenario, design, options) = S02(budget: 6);
        var id = jobs.Submit(JobSpec.Of(scenario, design, options, rangeSize: 2));

        // Another worker is in the middle of claiming range 0: it holds that row's lock.
        using var other = new NpgsqlConnection(PostgresServer.ConnectionString);
        other.Open();
        using var otherTransaction = other.BeginTransaction();
        using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{schema}\".gpuvmsim_job_range WHERE job_id = {id} AND range_start = 0 FOR UPDATE", other, otherTransaction))
            lockRow.ExecuteNonQuery();

        var a = jobs.Claim(id, "worker-a", Lease);
        var b = jobs.Claim(id, "worker-b", Lease);
        var none = jobs.Claim(id, "worker-c", Lease);
        otherTransaction.Rollback();
        var c = jobs.Claim(id, "worker-c", Lease);

        Assert.Equal((2L, 4L), (a!.Start, a.End));
        Assert.Equal((4L, 6L), (b!.Start, b.End));
        Assert.Null(none);
        Assert.Equal((0L, 2L, 1), (c!.Start, c.End, c.Claim));
    }

    [PostgresFact]
    public void A_range_whose_lease_expired_is_claimed_again_and_only_the_new_claim_stores_its_result()
    {
        using var jobs = JobStore.Open(target.Value);
        var (scenario, design, options) = S02(budget: 4);
        var id = jobs.Submit(JobSpec.Of(scenario, design, options, rangeSize: 2));
        var stale = jobs.Claim(id, "worker-a", Lease)!;
        jobs.Claim(id, "worker-b", Lease);
        Assert.Null(jobs.Claim(id, "worker-c", Lease));

        // Worker a stopped renewing: its lease ran out (set on the database's clock instead of waiting for it).
        using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            connection.Open();
            using var expire = new NpgsqlCommand(
                $"UPDATE \"{schema}\".gpuvmsim_job_range SET lease_expires = now() - interval '1 second' WHERE job_id = {id} AND range_start = 0", connection);
            Assert.Equal(1, expire.ExecuteNonQuery());
        }
        var fresh = jobs.Claim(id, "worker-c", Lease)!;
        var result = RangeExploration.Explore(scenario, design, options, Worlds.For(scenario), 0, 2);

        Assert.Equal((0L, 2, "worker-c"), (fresh.Start, fresh.Claim, fresh.WorkerId));
        Assert.False(jobs.Renew(stale, Lease));
        Assert.False(jobs.Complete(stale, result));
        Assert.True(jobs.Renew(fresh, Lease));
        Assert.True(jobs.Complete(fresh, result));
        Assert.False(jobs.Release(fresh));
        var range = jobs.Progress(id).Ranges[0];
        Assert.Equal((RangeStates.Done, "worker-c", 2), (range.State, range.WorkerId, range.Claims));
    }

    [PostgresFact]
    public void Workers_racing_to_merge_a_finished_job_merge_it_once()
    {
        using var jobs = JobStore.Open(target.Value);
        var (scenario, design, options) = S02(budget: 4);
        var id = jobs.Submit(JobSpec.Of(scenario, design, options, rangeSize: 2));
        Assert.Empty(jobs.AwaitingMerge(id));
        while (jobs.Claim(id, "worker-a", Lease) is { } claim)
        {
            Assert.False(jobs.TryFinish(id, (_, _) => Assert.Fail("merged before every range was done")));
            jobs.Complete(claim, RangeExploration.Explore(scenario, design, options, Worlds.For(scenario), claim.Start, claim.End));
        }
        Assert.Equal([id], jobs.AwaitingMerge(null));

        var merges = 0;
        var merged = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => jobs.TryFinish(id, (_, results) =>
            {
                Interlocked.Increment(ref merges);
                Assert.Equal(2, results.Count);
            }))
            .ToList();

        Assert.Equal(1, merges);
        Assert.Single(merged, m => m);
        Assert.Equal(JobStates.Done, jobs.Load(id).State);
        Assert.Empty(jobs.AwaitingMerge(null));
    }

    [PostgresFact]
    public void A_merge_that_died_after_journaling_is_finished_without_a_second_exploration()
    {
        using var jobs = JobStore.Open(target.Value);
        using var journal = BindJournalStore.Open(target.Value, create: true);
        var (scenario, design, options) = S02(budget: 4);
        var id = jobs.Submit(JobSpec.Of(scenario, design, options, rangeSize: 4));
        var claim = jobs.Claim(id, "worker-a", Lease)!;
        jobs.Complete(claim, RangeExploration.Explore(scenario, design, options, Worlds.For(scenario), 0, 4));
        // The merging worker journaled the exploration, then died before marking the job done.
        ExplorationJournal.Save(journal, scenario, design, options, Explorer.Explore(scenario, design, options, Worlds.For(scenario)), RecordedAt, jobs.Load(id).ExplorationId);

        var worker = new JobWorker(jobs, journal, new JobWorkerOptions { JobId = id }, TextWriter.Null);

        Assert.Equal(1, worker.FinishDueJobs());
        Assert.Equal(JobStates.Done, jobs.Load(id).State);
        Assert.Single(journal.ListExplorations(new JournalFilter()).Items);
    }

    [PostgresFact]
    public void An_unknown_job_is_an_input_error()
    {
        using var jobs = JobStore.Open(target.Value);
        Assert.Contains("no job 999", Assert.Throws<InputException>(() => jobs.Load(999)).Message);
        Assert.Contains("no job 999", Assert.Throws<InputException>(() => jobs.Progress(999)).Message);
    }

    private static (Gpuvmsim.Scenarios.ScenarioSpec, Gpuvmsim.Domain.Designs.Design, ExploreOptions) S02(long budget)
    {
        var scenario = Scenario("s02");
        return (scenario, Design(scenario, "v2-close-op-lock-first"), new ExploreOptions { Strategy = "random", Budget = budget, Seed = 3, Parallelism = 1 });
    }
}
