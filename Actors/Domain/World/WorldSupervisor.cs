using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Contexts;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// The parent of every actor of a run: it builds the world in <see cref="PreStart"/> (synchronously, so building
/// is no step of the schedule), starts each context, and decides what a failure means.
/// <list type="bullet">
/// <item>Exploring: an exception in a world actor or a context is a bug of the simulator, never of the simulated
/// kernel (kernel crashes are <c>KernelOops</c>, handled by the context). The failure is recorded and the actor
/// stopped; the run ends as an internal error.</item>
/// <item>Replaying (<see cref="RestartOnFailure"/>): the failed actor is restarted, recovers its state from its own
/// events, and gets the failed message again, so the replay continues as recorded.</item>
/// </list>
/// </summary>
public sealed class WorldSupervisor(WorldContext world, IWorldBuilder builder, bool restartOnFailure) : ActorBase, IStateHashable
{
    public bool RestartOnFailure { get; } = restartOnFailure;

    /// <summary>Failures handled by restarting (replay mode), in order.</summary>
    public List<Exception> Restarts { get; } = [];

    protected override void PreStart()
    {
        foreach (var context in builder.Build(world, (props, name) => Context.ActorOf(props, name)))
            context.Tell(StartScript.Instance, Self);
    }

    protected internal override bool Receive(object message) => false;

    /// <summary>The supervisor has no state of its own that a delivery could change.</summary>
    public void AddState(ref StateHasher hasher) => hasher.Add(Restarts.Count);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        if (RestartOnFailure)
        {
            Restarts.Add(cause);
            return Directive.Restart;
        }
        world.Monitor.SimulatorFailed(cause);
        return Directive.Stop;
    })
    {
        RedeliverFailedMessage = RestartOnFailure,
        LoggingEnabled = false,
    };
}
