using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>Picks the world a scenario describes: scripted locks only, or the GPU VM_BIND world.</summary>
public static class Worlds
{
    public static IWorldBuilder For(ScenarioSpec scenario) => scenario.IsLockScript
        ? LockScriptWorld.Instance
        : throw new InputException($"{scenario.File}: the GPU world (vms, bos, queues) is not available yet");
}
