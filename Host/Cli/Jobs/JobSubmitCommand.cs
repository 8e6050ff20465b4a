using System.CommandLine;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.Jobs;

namespace Gpuvmsim.Host.Cli.Jobs;

/// <summary>
/// <c>gpuvmsim job submit FILE --journal PG [--design D] [--strategy random|pct] [--seed N] [--budget N] [--range-size N] [--json]</c>:
/// stores an exploration cut into ranges of schedules for workers to claim, and prints its id.
/// </summary>
internal static class JobSubmitCommand
{
    public static Command Create()
    {
        var setup = new ScenarioCommandOptions();
        var journal = JobCommand.JournalOption();
        var budget = new Option<long>("--budget") { Description = "schedules to explore in all", DefaultValueFactory = _ => 1000L };
        var rangeSize = new Option<long>("--range-size") { Description = "schedules per range a worker claims at a time", DefaultValueFactory = _ => 100L };
        var json = new Option<bool>("--json") { Description = "print {\"job_id\":…, \"ranges\":…, \"budget\":…, \"range_size\":…}" };
        var command = new Command("submit", "Submit a random or pct exploration for `gpuvmsim worker` processes to share; prints the job id.");
        setup.AddSetupTo(command);
        foreach (var option in new Option[] { journal, budget, rangeSize, json })
            command.Options.Add(option);
        command.SetGuardedAction(parse =>
        {
            var explore = setup.ExploreOptions(parse, parse.GetValue(budget));
            var scenario = setup.Scenario(parse);
            var spec = JobSpec.Of(scenario, setup.DesignOf(parse, scenario), explore, parse.GetValue(rangeSize));
            using var jobs = JobStore.Open(parse.GetValue(journal)!);
            var id = jobs.Submit(spec);
            var ranges = RangeExploration.Split(spec.Budget, spec.RangeSize).Count;
            Console.WriteLine(parse.GetValue(json)
                ? CliJson.Object(w =>
                {
                    w.WriteNumber("job_id", id);
                    w.WriteNumber("ranges", ranges);
                    w.WriteNumber("budget", spec.Budget);
                    w.WriteNumber("range_size", spec.RangeSize);
                })
                : id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ExitCodes.Ok;
        });
        return command;
    }
}
