using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.TestKit.Races;

/// <summary>
/// A scenario under a design, ready for deterministic race tests: explore its schedules and assert what they find,
/// or replay one recorded schedule and assert it shows the race again.
/// <code>
/// var race = RaceScenario.Load("scenarios/s02-vm-close-during-job-run.conf").WithDesign("v2-close-op-lock-first");
/// var found = race.Explore(strategy: "dfs").AssertExhausted().AssertKinds("deadlock", "lock-order-inversion", "leak");
/// race.Replay(found.Finding("deadlock").Schedule).AssertShows("deadlock");
/// </code>
/// </summary>
public sealed class RaceScenario
{
    private RaceScenario(ScenarioSpec scenario, Design design)
    {
        Scenario = scenario;
        Design = design;
    }

    public ScenarioSpec Scenario { get; }

    public Design Design { get; }

    /// <summary>Reads a scenario file (design v2 until <see cref="WithDesign"/>).</summary>
    public static RaceScenario Load(string path) => Of(ScenarioParser.ParseFile(path));

    /// <summary>Parses scenario text, e.g. a lock script written in the test.</summary>
    public static RaceScenario Parse(string hocon, string name = "<test>") => Of(ScenarioParser.ParseString(hocon, name));

    /// <summary>The same scenario under a built-in or scenario-defined design.</summary>
    public RaceScenario WithDesign(string name) =>
        new(Scenario, ScenarioValidator.Designs(Scenario).TryGetValue(name, out var design)
            ? design
            : throw new InputException($"unknown design '{name}'; valid designs: {string.Join(", ", ScenarioValidator.Designs(Scenario).Keys)}"));

    /// <summary>The same scenario with one knob of the design changed.</summary>
    public RaceScenario WithKnob(string knob, string value) => new(Scenario, Design.With($"{Design.Name}+{knob}={value}", [new(knob, value)]));

    /// <summary>Explores schedules: exhaustively with <c>dfs</c>, or <paramref name="budget"/> seeded random/pct schedules.</summary>
    public RaceFindings Explore(string strategy = "dfs", ulong seed = 1, long? budget = null) =>
        new(this, Explorer.Explore(Scenario, Design, new ExploreOptions
        {
            Strategy = strategy,
            Seed = seed,
            Budget = budget ?? (strategy == "dfs" ? 1_000_000 : 1_000),
        }, Worlds.For(Scenario)));

    /// <summary>Replays one schedule (the <c>s1.…</c> string an exploration or a journal printed).</summary>
    public RaceRun Replay(string schedule) =>
        new(Reproducer.Replay(new ReproductionRequest(Scenario, Design, 0, Schedule.Parse(schedule), [])));

    private static RaceScenario Of(ScenarioSpec scenario) => new(scenario, DesignCatalog.V2);
}
