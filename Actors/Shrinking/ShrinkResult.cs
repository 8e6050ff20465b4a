using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// A shrunk run: the smaller scenario, its exact schedule and witnesses (replayable with the plain replay strategy),
/// and what it took.
/// </summary>
/// <param name="DecisiveChoices">The guide choices left after schedule reduction: the only choices that are not "oldest message first".</param>
/// <param name="Replays">Runs made while shrinking.</param>
/// <param name="BudgetExhausted">The shrink stopped at <see cref="ShrinkRequest.MaxReplays"/> before reaching a fixpoint.</param>
/// <param name="SimulatorFailures">Candidates the simulator failed on (rejected).</param>
public sealed record ShrinkResult(
    ScenarioSpec Scenario,
    Schedule Schedule,
    IReadOnlyList<(long Index, Schedule Schedule)> Witnesses,
    int DecisiveChoices,
    int Rounds,
    int Replays,
    bool BudgetExhausted,
    int SimulatorFailures);
