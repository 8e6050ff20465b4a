using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Simulation;

namespace Gpuvmsim.Exploration;

/// <summary>One distinct finding of an exploration, with the first schedule that showed it.</summary>
/// <param name="ScheduleIndex">The index of that schedule within the exploration.</param>
/// <param name="Schedule">The compact, replayable encoding of its choices.</param>
/// <param name="TraceSha256">SHA-256 of the canonical text trace of that schedule.</param>
/// <param name="Witnesses">Other schedules whose lock dependencies the finding needs (a lock-order inversion's other edges).</param>
/// <param name="Replay">The replay of that schedule (and its witnesses) that confirmed the finding: trace, interleaving, world events.</param>
public sealed record ExplorationFinding(Finding Finding, long ScheduleIndex, string Schedule, IReadOnlyList<(long Index, string Schedule)> Witnesses, Reproduction Replay)
{
    public string Kind => Finding.Kind;

    public string TraceSha256 => Replay.TraceSha256;

    /// <summary>What each context did, step by step, in that schedule.</summary>
    public IReadOnlyList<ContextEvent> Interleaving => Replay.Run?.Events ?? [];
}

/// <summary>The outcome of exploring one scenario under one design.</summary>
/// <param name="Exhausted">True only when a dfs search visited every distinct schedule (after its reductions) within the budget.</param>
public sealed record ExplorationResult(
    string Scenario,
    string Design,
    string Strategy,
    ulong Seed,
    long Schedules,
    bool Exhausted,
    long Deliveries,
    IReadOnlyList<ExplorationFinding> Findings,
    LockDependencyGraph Graph)
{
    public IReadOnlySet<string> Kinds => Findings.Select(f => f.Kind).ToHashSet(StringComparer.Ordinal);
}
