using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// Scenario reduction: removes whole contexts, then single steps, then objects nothing needs (initial mappings,
/// queues, BOs, VMs, fences, locks, each with the declarations that only point at it), keeping each removal whose
/// scenario is still valid and whose run still shows the finding (tried with several guides, see
/// <see cref="ShrinkProbe.TryGuides"/>).
/// </summary>
internal static class ScenarioReducer
{
    /// <summary>One pass over every removal; returns the smaller state, or the same one when nothing could go.</summary>
    public static ShrinkState Reduce(ShrinkState state, ShrinkProbe probe)
    {
        state = RemoveEach(state, probe, s => s.Contexts.Count, (s, i) => s.Contexts.Count > 1 ? s with { Contexts = Without(s.Contexts, i) } : null);
        for (var c = 0; c < state.Scenario.Contexts.Count; c++)
        {
            var context = c;
            state = RemoveEach(state, probe, s => s.Contexts[context].Steps.Count, (s, i) =>
                s with { Contexts = Replace(s.Contexts, context, s.Contexts[context] with { Steps = Without(s.Contexts[context].Steps, i) }) });
        }
        state = RemoveEach(state, probe, s => s.InitialMappings.Count, (s, i) => s with { InitialMappings = Without(s.InitialMappings, i) });
        state = RemoveEach(state, probe, s => s.Queues.Count, (s, i) => s with { Queues = Without(s.Queues, i) });
        state = RemoveEach(state, probe, s => s.Bos.Count, (s, i) => s with
        {
            Bos = Without(s.Bos, i),
            InitialMappings = [.. s.InitialMappings.Where(m => m.Bo != s.Bos[i].Name)],
        });
        state = RemoveEach(state, probe, s => s.Vms.Count, (s, i) => s with
        {
            Vms = Without(s.Vms, i),
            Queues = [.. s.Queues.Where(q => q.Vm != s.Vms[i].Name)],
            InitialMappings = [.. s.InitialMappings.Where(m => m.Vm != s.Vms[i].Name)],
        });
        state = RemoveEach(state, probe, s => s.Fences.Count, (s, i) => s with
        {
            Fences = Without(s.Fences, i),
            Bos = [.. s.Bos.Select(b => b.Fences.Contains(s.Fences[i].Name) ? b with { Fences = [.. b.Fences.Where(f => f != s.Fences[i].Name)] } : b)],
        });
        state = RemoveEach(state, probe, s => s.Locks.Count, (s, i) => s with { Locks = Without(s.Locks, i) });
        return state;
    }

    /// <summary>Tries removing item i of a list for each i in order; after a removal the next item has the same index.</summary>
    private static ShrinkState RemoveEach(ShrinkState state, ShrinkProbe probe, Func<ScenarioSpec, int> count, Func<ScenarioSpec, int, ScenarioSpec?> remove)
    {
        for (var i = 0; i < count(state.Scenario) && !probe.Exhausted;)
        {
            if (remove(state.Scenario, i) is { } smaller && IsValid(smaller) && probe.TryGuides(state, state.Candidate with { Scenario = smaller }) is { } accepted)
                state = accepted;
            else
                i++;
        }
        return state;
    }

    private static bool IsValid(ScenarioSpec scenario)
    {
        try
        {
            ScenarioValidator.Validate(scenario);
            return true;
        }
        catch (InputException)
        {
            return false;
        }
    }

    private static List<T> Without<T>(IReadOnlyList<T> items, int index) => [.. items.Take(index), .. items.Skip(index + 1)];

    private static List<T> Replace<T>(IReadOnlyList<T> items, int index, T item) => [.. items.Take(index), item, .. items.Skip(index + 1)];
}
