using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>What every actor of one run shares: the scenario and design, the instrumentation, the directory of
/// actors and locks, and the log of world events. One per run; used only from the run's thread.</summary>
public sealed class WorldContext(ScenarioSpec scenario, Design design, RunMonitor monitor, WorldEventLog events)
{
    public ScenarioSpec Scenario { get; } = scenario;

    public Design Design { get; } = design;

    public RunMonitor Monitor { get; } = monitor;

    public WorldDirectory Directory { get; } = new();

    public WorldEventLog Events { get; } = events;

    /// <summary>Set when a replay injects a failure into a world actor (see <see cref="FaultInjector"/>).</summary>
    public FaultInjector? Faults { get; init; }
}
