using System.Security.Cryptography;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Npgsql;

namespace Gpuvmsim.Persistence.Jobs;

/// <summary>How a worker runs.</summary>
public sealed record JobWorkerOptions
{
    /// <summary>Work on this job only (null: any running job, oldest first).</summary>
    public long? JobId { get; init; }

    /// <summary>How long a claim holds without renewal; the worker renews it every third of that while exploring.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Stop once nothing is left to claim or merge, instead of polling for new jobs.</summary>
    public bool ExitWhenIdle { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Threads exploring a range (0: one per core).</summary>
    public int Parallelism { get; init; }

    /// <summary>Names this worker in the range rows: host, process and a random part.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

/// <summary>What a worker did before it stopped.</summary>
public sealed record WorkerSummary(int RangesDone, int JobsMerged);

/// <summary>
/// A <c>gpuvmsim worker</c>: claims a range, explores exactly its schedules, stores the result, and repeats; the
/// worker that finds every range of a job done merges them and journals the exploration in the bind journal.
/// </summary>
public sealed class JobWorker(JobStore jobs, BindJournalStore journal, JobWorkerOptions options, TextWriter log)
{
    private readonly Dictionary<long, (ScenarioSpec Scenario, Design Design, ExploreOptions Options)> explorations = [];
    private int rangesDone;
    private int jobsMerged;

    public string WorkerId => options.WorkerId;

    /// <exception cref="InputException">The job to work on does not exist, or its scenario no longer parses.</exception>
    public async Task<WorkerSummary> RunAsync(CancellationToken cancel)
    {
        if (options.JobId is long only)
            jobs.Load(only);
        while (!cancel.IsCancellationRequested)
        {
            // With nothing to claim, merge what is due (also a merge whose worker died before committing it).
            if (WorkOneRange() || FinishDueJobs() > 0)
                continue;
            if (options.ExitWhenIdle)
                break;
            try
            {
                await Task.Delay(options.PollInterval, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return new WorkerSummary(rangesDone, jobsMerged);
    }

    /// <summary>Claims, explores and stores one range, then merges its job if that was the last; false when nothing was claimable.</summary>
    public bool WorkOneRange()
    {
        var claim = jobs.Claim(options.JobId, options.WorkerId, options.Lease);
        if (claim is null)
            return false;
        var stored = false;
        try
        {
            var (scenario, design, explore) = ExplorationOf(claim.JobId);
            RangeResult result;
            using (new Timer(_ => Renew(claim), null, options.Lease / 3, options.Lease / 3))
                result = RangeExploration.Explore(scenario, design, explore, Worlds.For(scenario), claim.Start, claim.End);
            stored = jobs.Complete(claim, result);
            if (stored)
                rangesDone++;
            log.WriteLine(stored
                ? $"job {claim.JobId}: schedules [{claim.Start}, {claim.End}) done, {result.Notable.Count} notable"
                : $"job {claim.JobId}: schedules [{claim.Start}, {claim.End}) explored after the lease expired and another worker claimed them; result dropped");
        }
        finally
        {
            if (!stored)
                jobs.Release(claim);
        }
        if (stored && jobs.AwaitingMerge(claim.JobId).Count > 0)
            Finish(claim.JobId);
        return true;
    }

    /// <summary>Merges every running job whose ranges are all done; returns how many this worker merged.</summary>
    public int FinishDueJobs() => jobs.AwaitingMerge(options.JobId).Count(Finish);

    private bool Finish(long jobId)
    {
        var merged = jobs.TryFinish(jobId, Merge);
        if (merged)
        {
            jobsMerged++;
            log.WriteLine($"job {jobId}: done");
        }
        return merged;
    }

    private void Merge(JobRecord job, IReadOnlyList<RangeResult> results)
    {
        // Already there when an earlier merge journaled it but died before marking the job done: nothing to redo.
        if (journal.ContainsExploration(job.ExplorationId))
        {
            log.WriteLine($"job {job.Id}: exploration {job.ExplorationId} was already journaled");
            return;
        }
        var (scenario, design, explore) = ExplorationOf(job.Id);
        var result = RangeExploration.Merge(scenario, design, explore, Worlds.For(scenario), results);
        ExplorationJournal.Save(journal, scenario, design, explore, result, DateTimeOffset.UtcNow, job.ExplorationId);
        log.WriteLine($"job {job.Id}: exploration {job.ExplorationId}, {result.Schedules} schedules, {result.Findings.Count} finding(s)");
    }

    private void Renew(RangeClaim claim)
    {
        try
        {
            jobs.Renew(claim, options.Lease);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The next renewal may get through; if none does, the range is explored again elsewhere.
        }
    }

    private (ScenarioSpec, Design, ExploreOptions) ExplorationOf(long jobId)
    {
        if (!explorations.TryGetValue(jobId, out var exploration))
        {
            var spec = jobs.Load(jobId).Spec;
            try
            {
                exploration = (spec.Scenario(), spec.Design(), spec.Options(options.Parallelism));
            }
            catch (InputException e)
            {
                throw new InputException($"job {jobId}: {e.Message}", e);
            }
            explorations[jobId] = exploration;
        }
        return exploration;
    }
}
