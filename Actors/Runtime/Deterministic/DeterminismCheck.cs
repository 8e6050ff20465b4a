namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>The outcome of <see cref="DeterminismCheck.Run"/>.</summary>
/// <param name="TraceSha256">The trace hash of each run.</param>
/// <param name="Divergence">The first difference between run 0 and the first run that differs, or null.</param>
public sealed record DeterminismReport(IReadOnlyList<string> TraceSha256, TraceDivergence? Divergence, IReadOnlyList<long> Steps)
{
    public bool IsDeterministic => Divergence is null;
}

/// <summary>
/// Self-check that an actor program is deterministic: it runs the program several times on fresh systems with the same
/// settings (same strategy, seed and iteration), records the traces and compares their text byte for byte. A program
/// that reads the wall clock, shared statics, random numbers or other threads is reported with its first diverging step.
/// </summary>
public static class DeterminismCheck
{
    /// <param name="program">Sets up actors and sends the first messages (the driver then runs to quiescence).</param>
    /// <param name="settings">Must use the deterministic dispatcher; tracing is turned on.</param>
    public static DeterminismReport Run(Action<ActorSystem> program, ActorSystemSettings? settings = null, int runs = 2,
        long maxSteps = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 2);
        settings = (settings ?? ActorSystemSettings.Default) with { Trace = true, DefaultDispatcherType = DispatcherType.Deterministic };
        int iteration = settings.StrategyInstance?.Iteration ?? 0;
        var texts = new List<string>();
        var steps = new List<long>();
        for (int i = 0; i < runs; i++)
        {
            settings.StrategyInstance?.PrepareIteration(iteration);
            var system = ActorSystem.Create("determinism-check", settings);
            try
            {
                program(system);
                var driver = system.Deterministic!;
                driver.RunUntilQuiescent(maxSteps);
                texts.Add(driver.Trace!.ToText());
                steps.Add(driver.StepCount);
            }
            finally
            {
                system.Terminate();
            }
        }
        TraceDivergence? divergence = null;
        for (int i = 1; i < texts.Count && divergence is null; i++) divergence = TraceComparer.FirstDivergence(texts[0], texts[i]);
        return new DeterminismReport(texts.Select(TraceHash.Sha256).ToList(), divergence, steps);
    }
}
