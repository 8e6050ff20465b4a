using System.CommandLine;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.Jobs;

namespace Gpuvmsim.Host.Cli.Jobs;

/// <summary>
/// <c>gpuvmsim worker --journal PG [--job ID] [--exit-when-idle] [--lease SECONDS] [--parallelism N]</c>: claims ranges of
/// submitted jobs one at a time, explores them and stores their results; the worker that completes a job merges it
/// into one exploration in the bind journal. Run any number of them, on any number of hosts.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var journal = JobCommand.JournalOption();
        var job = new Option<long?>("--job") { Description = "work on this job only (default: any running job, oldest first)" };
        var exitWhenIdle = new Option<bool>("--exit-when-idle") { Description = "exit once nothing is left to claim or merge, instead of waiting for new jobs" };
        var lease = new Option<int>("--lease") { Description = "seconds a claim holds without renewal; a range whose worker died is claimable again after that", DefaultValueFactory = _ => 300 };
        var parallelism = new Option<int>("--parallelism") { Description = "threads exploring a range (0 = one per core); results never depend on it" };
        var command = new Command("worker", "Explore ranges of submitted jobs, sharing them with the workers of other hosts through PostgreSQL.")
        {
            journal, job, exitWhenIdle, lease, parallelism,
        };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            if (parse.GetValue(lease) <= 0)
                throw new InputException($"--lease must be > 0 seconds, got {parse.GetValue(lease)}");
            if (parse.GetValue(parallelism) < 0)
                throw new InputException($"--parallelism must be >= 0, got {parse.GetValue(parallelism)}");
            var target = parse.GetValue(journal)!;
            // Jobs first: a SQLite path is refused before a journal file could be created there.
            using var jobs = JobStore.Open(target);
            using var store = BindJournalStore.Open(target, create: true);
            var worker = new JobWorker(jobs, store, new JobWorkerOptions
            {
                JobId = parse.GetValue(job),
                Lease = TimeSpan.FromSeconds(parse.GetValue(lease)),
                ExitWhenIdle = parse.GetValue(exitWhenIdle),
                Parallelism = parse.GetValue(parallelism),
            }, Console.Out);
            Console.WriteLine($"worker {worker.WorkerId} started");
            var summary = await worker.RunAsync(cancel).ConfigureAwait(false);
            Console.WriteLine($"worker {worker.WorkerId} stopped: {summary.RangesDone} range(s) explored, {summary.JobsMerged} job(s) merged");
            return ExitCodes.Ok;
        });
        return command;
    }
}
