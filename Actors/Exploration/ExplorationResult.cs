using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Simulation;

namespace Gpuvmsim.Exploration;

/// <summary>One distinct finding of an exploration, with the first schedule that showed it.</summary>
/// <param name="ScheduleIndex">The index of that schedule within the exploration.</param>
/// <param name="Schedule">The compact, replayable encoding of its choices.</param>
/// <param name="TraceSha256">SHA-256 of the canonical text trace of that schedule.</param>
/// <param name="Interleaving">What each context did, step by step, in that schedule.</param>
public sealed record ExplorationFinding(Finding Finding, long ScheduleIndex, string Schedule, string TraceSha256, IReadOnlyList<ContextEvent> Interleaving)
{
    public string Kind => Finding.Kind;
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
