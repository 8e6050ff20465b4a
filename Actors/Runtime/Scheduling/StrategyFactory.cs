namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>Maps the stable strategy names to their types; the only place that names concrete strategies.</summary>
public static class StrategyFactory
{
    /// <summary>Every known name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [FifoStrategy.StrategyName, RandomStrategy.StrategyName, PctStrategy.StrategyName, ReplayStrategy.StrategyName];

    /// <summary>Builds the strategy called <paramref name="name"/>. For any strategy but <c>replay</c>, a
    /// <paramref name="schedule"/> is replayed as a prefix first; <c>replay</c> requires one.</summary>
    /// <exception cref="InputException">Unknown name, or <c>replay</c> without a schedule, or a depth below 1.</exception>
    public static ExplorationStrategy Create(string name, ulong seed = 0, int depth = 3, Schedule? schedule = null)
    {
        ExplorationStrategy strategy = name switch
        {
            FifoStrategy.StrategyName => new FifoStrategy(),
            RandomStrategy.StrategyName => new RandomStrategy(seed),
            PctStrategy.StrategyName when depth >= 1 => new PctStrategy(seed, depth),
            PctStrategy.StrategyName => throw new InputException($"strategy: pct depth must be at least 1, got {depth}"),
            ReplayStrategy.StrategyName when schedule is not null => new ReplayStrategy(schedule),
            ReplayStrategy.StrategyName => throw new InputException("strategy: 'replay' needs a schedule"),
            _ => throw new InputException($"strategy: unknown strategy '{name}'; known: {string.Join(", ", Names)}"),
        };
        if (schedule is not null && strategy is not ReplayStrategy) strategy.SetReplayPrefix(schedule);
        return strategy;
    }
}
