using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Runtime;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Builds the actors of one scenario in a fresh actor system: world actors (locks, VMs, BOs, MMUs, schedulers)
/// and execution contexts. Returns the contexts to start; the run sends each a <c>StartScript</c>.
/// </summary>
public interface IWorldBuilder
{
    IReadOnlyList<IActorRef> Build(ActorSystem system, ScenarioSpec scenario, Design design, RunMonitor monitor);
}
