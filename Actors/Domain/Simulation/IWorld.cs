using Gpuvmsim.Domain.World;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Builds the actors of one scenario: world actors (locks, VMs, BOs, MMUs, schedulers, fences) and execution
/// contexts, registered in <see cref="WorldContext.Directory"/>. Returns the contexts to start with <c>StartScript</c>.
/// </summary>
public interface IWorldBuilder
{
    /// <param name="actorOf">Creates a child of the run's supervisor.</param>
    IReadOnlyList<IActorRef> Build(WorldContext world, Func<Props, string, IActorRef> actorOf);
}
