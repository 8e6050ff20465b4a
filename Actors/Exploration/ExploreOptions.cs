namespace Gpuvmsim.Exploration;

/// <summary>How to explore a scenario (<c>gpuvmsim explore</c>; HOCON <c>gpuvmsim.explore</c>).</summary>
public sealed record ExploreOptions
{
    /// <summary><c>random</c>, <c>pct</c>, <c>dfs</c> or <c>fifo</c>.</summary>
    public string Strategy { get; init; } = "random";

    public ulong Seed { get; init; } = 1;

    /// <summary>PCT's bug depth d (d − 1 priority change points).</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>The most schedules to run (for dfs, the search stops there and reports not exhausted).</summary>
    public long Budget { get; init; } = 1000;

    /// <summary>Worker threads; 0 means one per core. Results never depend on it.</summary>
    public int Parallelism { get; init; }

    /// <summary>A run longer than this many deliveries is cut (and a dfs search is then not exhaustive).</summary>
    public long MaxStepsPerRun { get; init; } = 100_000;

    /// <summary>dfs: use sleep-set partial-order reduction (sound; off only to cross-check it).</summary>
    public bool Reduce { get; init; } = true;

    public static IReadOnlyList<string> Strategies { get; } = ["random", "pct", "dfs", "fifo"];

    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
