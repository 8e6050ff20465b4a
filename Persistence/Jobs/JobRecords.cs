using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Persistence.Jobs;

/// <summary>What a job explores: the setup of an <c>explore</c> (scenario text, design with every knob, strategy, seed) and its budget, cut into ranges.</summary>
public sealed record JobSpec(RunSetup Setup, long Budget, long RangeSize)
{
    /// <exception cref="InputException">The strategy cannot be split, or the budget or range size is not positive.</exception>
    public static JobSpec Of(ScenarioSpec scenario, Design design, ExploreOptions options, long rangeSize)
    {
        if (!RangeExploration.Strategies.Contains(options.Strategy))
            throw new InputException($"--strategy: '{options.Strategy}' cannot be shared as a job; use one of {string.Join(", ", RangeExploration.Strategies)}");
        RangeExploration.Split(options.Budget, rangeSize);
        return new JobSpec(RunRecords.SetupOf(scenario, design, options), options.Budget, rangeSize);
    }

    /// <exception cref="InputException">The stored scenario no longer parses, or a knob is unknown to this version.</exception>
    public ScenarioSpec Scenario() => RunRecords.ScenarioOf(Setup);

    /// <exception cref="InputException">A stored knob is unknown to this version.</exception>
    public Design Design() => RunRecords.DesignOf(Setup);

    /// <param name="parallelism">Threads of this worker (results never depend on it).</param>
    public ExploreOptions Options(int parallelism) => new()
    {
        Strategy = Setup.Strategy,
        Seed = Setup.Seed,
        PctDepth = Setup.PctDepth,
        Budget = Budget,
        MaxStepsPerRun = Setup.MaxSteps,
        Parallelism = parallelism,
    };
}

/// <summary>The states of a job: <c>running</c> while ranges remain or the merge is pending, <c>done</c> once its exploration is journaled.</summary>
public static class JobStates
{
    public const string Running = "running";
    public const string Done = "done";
}

/// <summary>The states of a range: <c>pending</c>, <c>claimed</c> by a worker until its lease expires, <c>done</c> with its result stored.</summary>
public static class RangeStates
{
    public const string Pending = "pending";
    public const string Claimed = "claimed";
    public const string Done = "done";
}

/// <summary>One row of <c>gpuvmsim_job</c>.</summary>
/// <param name="ExplorationId">The exploration the merge journals, chosen at submission so a merge retried after a crash writes it once.</param>
public sealed record JobRecord(long Id, JobSpec Spec, DateTimeOffset Created, string State, string ExplorationId, DateTimeOffset? Finished);

/// <summary>One row of <c>gpuvmsim_job_range</c>, without its result.</summary>
/// <param name="Claims">How many times a worker claimed it (more than once only after a lease expired).</param>
public sealed record JobRange(long Start, long End, string State, string? WorkerId, DateTimeOffset? LeaseExpires, int Claims)
{
    public long Schedules => End - Start;
}

/// <summary>A job and its ranges, in schedule order.</summary>
public sealed record JobProgress(JobRecord Job, IReadOnlyList<JobRange> Ranges)
{
    public int Count(string state) => Ranges.Count(r => r.State == state);

    public long SchedulesDone => Ranges.Where(r => r.State == RangeStates.Done).Sum(r => r.Schedules);
}

/// <summary>A range a worker holds until <paramref name="LeaseExpires"/>; <paramref name="Claim"/> tells this claim from a later one after expiry.</summary>
public sealed record RangeClaim(long JobId, long Start, long End, string WorkerId, int Claim, DateTimeOffset LeaseExpires);
