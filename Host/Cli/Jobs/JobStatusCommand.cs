using System.CommandLine;
using System.Text;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.Jobs;

namespace Gpuvmsim.Host.Cli.Jobs;

/// <summary>
/// <c>gpuvmsim job status ID --journal PG [--json]</c>: a running job's progress; a done job's exploration, as
/// <c>explore --journal … --json</c> prints it for the same scenario, design, strategy, seed and budget.
/// </summary>
internal static class JobStatusCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("ID") { Description = "the job (as `gpuvmsim job submit` printed it)" };
        var journal = JobCommand.JournalOption();
        var json = new Option<bool>("--json") { Description = "print one JSON object: the progress, or once done the object of `explore --json`" };
        var command = new Command("status", "Show a job's progress, and its exploration once every range is done and merged.") { id, journal, json };
        command.SetGuardedAction(parse =>
        {
            var target = parse.GetValue(journal)!;
            using var jobs = JobStore.Open(target);
            var progress = jobs.Progress(parse.GetValue(id));
            if (progress.Job.State != JobStates.Done)
            {
                Console.Write(parse.GetValue(json) ? ProgressJson(progress) + "\n" : ProgressHuman(progress));
                return ExitCodes.Ok;
            }
            using var store = BindJournalStore.OpenReadOnly(target);
            var exploration = store.LoadExploration(progress.Job.ExplorationId);
            Console.Write(parse.GetValue(json) ? ExplorationOutput.Json(exploration) + "\n" : DoneHuman(progress.Job, exploration));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>{"job_id", "state", "scenario", "design", "strategy", "seed", "budget", "range_size", "ranges", "pending", "claimed", "done", "schedules_done"}</c>.</summary>
    private static string ProgressJson(JobProgress progress) => CliJson.Object(w =>
    {
        var job = progress.Job;
        w.WriteNumber("job_id", job.Id);
        w.WriteString("state", job.State);
        CliJson.WriteSetupSummary(w, job.Spec.Setup);
        w.WriteNumber("budget", job.Spec.Budget);
        w.WriteNumber("range_size", job.Spec.RangeSize);
        w.WriteNumber("ranges", progress.Ranges.Count);
        w.WriteNumber(RangeStates.Pending, progress.Count(RangeStates.Pending));
        w.WriteNumber(RangeStates.Claimed, progress.Count(RangeStates.Claimed));
        w.WriteNumber(RangeStates.Done, progress.Count(RangeStates.Done));
        w.WriteNumber("schedules_done", progress.SchedulesDone);
    });

    private static string ProgressHuman(JobProgress progress)
    {
        var job = progress.Job;
        var w = new StringBuilder();
        w.AppendLine($"job {job.Id}: {job.State}; scenario {job.Spec.Setup.Scenario}, design {job.Spec.Setup.Design}, strategy {job.Spec.Setup.Strategy}, seed {job.Spec.Setup.Seed}");
        w.AppendLine($"{progress.Count(RangeStates.Done)} of {progress.Ranges.Count} range(s) done ({progress.SchedulesDone} of {job.Spec.Budget} schedules), " +
            $"{progress.Count(RangeStates.Claimed)} claimed, {progress.Count(RangeStates.Pending)} pending");
        foreach (var range in progress.Ranges.Where(r => r.State == RangeStates.Claimed))
            w.AppendLine($"  [{range.Start}, {range.End}) claimed by {range.WorkerId}, lease until {range.LeaseExpires:u}");
        if (progress.Count(RangeStates.Done) == progress.Ranges.Count)
            w.AppendLine("every range is done: the next worker to look merges them");
        return w.ToString();
    }

    private static string DoneHuman(JobRecord job, ExplorationRecorded exploration)
    {
        var w = new StringBuilder();
        w.AppendLine($"job {job.Id}: done{(job.Finished is { } finished ? $" at {finished:u}" : "")}; exploration {exploration.ExplorationId}");
        w.AppendLine($"scenario {exploration.Setup.Scenario}, design {exploration.Setup.Design}, strategy {exploration.Setup.Strategy}, seed {exploration.Setup.Seed}");
        w.AppendLine($"explored {exploration.Schedules} schedule(s), {exploration.Deliveries} deliveries");
        w.AppendLine(exploration.Findings.Count == 0 ? "no findings" : $"{exploration.Findings.Count} finding(s):");
        foreach (var f in exploration.Findings)
            w.AppendLine($"  {f.Kind}: {f.Summary}").AppendLine($"    schedule {f.ScheduleIndex}, journal {f.JournalId}");
        if (exploration.Findings.Count > 0)
            w.AppendLine("replay a finding with `gpuvmsim replay JOURNAL_ID --journal` and this database");
        return w.ToString();
    }
}
