using System.CommandLine;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Exploration;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Host.Cli;

/// <summary>The options <c>run</c> and <c>explore</c> share, and how they turn into a scenario and a design.</summary>
internal sealed class ScenarioCommandOptions
{
    public Argument<string> File { get; } = new("FILE") { Description = "scenario file (HOCON)" };

    public Option<string?> Design { get; } = new("--design") { Description = "design to simulate: v2, v2-fixed, vm-lock-first, obj-lock-first, or one the scenario defines (default v2)" };

    public Option<string[]> Knobs { get; } = new("--knob") { Description = "override a knob of the design: name=value (repeatable)", AllowMultipleArgumentsPerToken = false };

    public Option<string> Strategy { get; } = new("--strategy") { Description = "random, pct, dfs or fifo", DefaultValueFactory = _ => "random" };

    public Option<ulong> Seed { get; } = new("--seed") { Description = "seed of the random and pct strategies", DefaultValueFactory = _ => 1UL };

    public Option<int> PctDepth { get; } = new("--pct-depth") { Description = "bug depth of the pct strategy", DefaultValueFactory = _ => 3 };

    public Option<long> MaxSteps { get; } = new("--max-steps") { Description = "deliveries per schedule before a run is cut", DefaultValueFactory = _ => 100_000L };

    public Option<bool> Json { get; } = new("--json") { Description = "print one JSON object (cli-contract.md)" };

    public Option<bool> FailOnFindings { get; } = new("--fail-on-findings") { Description = "exit 3 when something was found" };

    public Option<string?> Journal { get; } = new("--journal") { Description = "store bind journals in DB: a SQLite file, or PostgreSQL (postgres://user@host:port/db or Host=…)" };

    public void AddTo(Command command)
    {
        AddSetupTo(command);
        foreach (var option in new Option[] { Json, FailOnFindings, Journal })
            command.Options.Add(option);
    }

    /// <summary>Only what says which exploration to make: the scenario, design, knobs, strategy, seed, pct depth and step limit.</summary>
    public void AddSetupTo(Command command)
    {
        command.Arguments.Add(File);
        foreach (var option in new Option[] { Design, Knobs, Strategy, Seed, PctDepth, MaxSteps })
            command.Options.Add(option);
    }

    public ScenarioSpec Scenario(ParseResult parse) => ScenarioParser.ParseFile(parse.GetValue(File)!);

    /// <summary>The exploration the setup options describe (strategy, seed, pct depth, step limit) over <paramref name="budget"/> schedules.</summary>
    public ExploreOptions ExploreOptions(ParseResult parse, long budget) => new()
    {
        Strategy = parse.GetValue(Strategy)!,
        Seed = parse.GetValue(Seed),
        PctDepth = parse.GetValue(PctDepth),
        Budget = budget,
        MaxStepsPerRun = parse.GetValue(MaxSteps),
    };

    /// <summary>The design named by --design (built-in or scenario-local) with every --knob applied.</summary>
    public Design DesignOf(ParseResult parse, ScenarioSpec scenario)
    {
        var designs = ScenarioValidator.Designs(scenario);
        var name = parse.GetValue(Design) ?? DesignCatalog.V2.Name;
        if (!designs.TryGetValue(name, out var design))
            throw new InputException($"--design: unknown design '{name}'; valid designs: {string.Join(", ", designs.Keys)}");
        var knobs = parse.GetValue(Knobs) ?? [];
        if (knobs.Length == 0)
            return design;
        var changes = knobs.Select(k => k.Split('=', 2) is [var key, var value]
            ? new KeyValuePair<string, string>(key.Trim(), value.Trim())
            : throw new InputException($"--knob: '{k}' is not name=value")).ToList();
        try
        {
            return design.With($"{design.Name}+{string.Join(",", changes.Select(c => $"{c.Key}={c.Value}"))}", changes);
        }
        catch (InputException e)
        {
            throw new InputException($"--knob: {e.Message}", e);
        }
    }
}
