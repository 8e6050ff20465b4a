using System.CommandLine;
using System.Text.Json;
using Gpuvmsim.Benchmarks;

namespace Gpuvmsim.Host.Cli;

/// <summary><c>gpuvmsim bench NAME [--json] [--quick]</c>: runs one benchmark of <see cref="BenchmarkCatalog"/>.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "benchmark: " + string.Join(", ", BenchmarkCatalog.All.Select(b => b.Name)) };
        var json = new Option<bool>("--json") { Description = "print one JSON object on stdout" };
        var quick = new Option<bool>("--quick") { Description = "small sizes: checks that the benchmark runs" };
        var command = new Command("bench", "Measure the project's code against a baseline in the same run.") { name, json, quick };
        command.SetGuardedAction(parse =>
        {
            var benchName = parse.GetValue(name)!;
            var bench = BenchmarkCatalog.Find(benchName)
                ?? throw new InputException($"bench: unknown benchmark '{benchName}'; known: {string.Join(", ", BenchmarkCatalog.All.Select(b => b.Name))}");
            var result = bench.Run(new BenchmarkOptions(parse.GetValue(quick), Console.Error));
            if (parse.GetValue(json))
            {
                Console.WriteLine(result.ToJsonString());
            }
            else
            {
                Console.WriteLine($"{bench.Name}: {bench.Description}");
                foreach (var (key, value) in result)
                    Console.WriteLine($"  {key,-32} {value?.ToJsonString()}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
