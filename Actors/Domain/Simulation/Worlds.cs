using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>Picks the world a scenario describes: scripted locks only, or the msm VM_BIND world.</summary>
public static class Worlds
{
    public static IWorldBuilder For(ScenarioSpec scenario) =>
        scenario.IsLockScript ? LockScriptWorld.Instance : GpuWorld.Instance;
}
