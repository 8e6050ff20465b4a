namespace Gpuvmsim.Shrinking;

/// <summary>
/// Schedule reduction: delta debugging (Zeller and Hildebrandt's ddmin, "Simplifying and Isolating Failure-Inducing
/// Input", 2002) over the choices of the guide. A subset of the choices steers a lenient replay, the rest falling back
/// to the oldest message first; a subset is kept when its run shows the finding and is no longer than the current run.
/// The result is 1-minimal: dropping any single remaining choice loses the finding (or the budget ran out).
/// </summary>
internal static class ScheduleReducer
{
    public static ShrinkState Reduce(ShrinkState state, ShrinkProbe probe)
    {
        var choices = state.Candidate.Guide.Choices.ToList();
        if (choices.Count == 0)
            return state;
        if (Test(state, [], probe) is { } empty)
            return empty;
        var granularity = 2;
        while (choices.Count >= 2 && !probe.Exhausted)
        {
            var chunks = Split(choices, granularity);
            var reduced = false;
            for (var i = 0; i < chunks.Count && !reduced && !probe.Exhausted; i++)
            {
                if (Test(state, chunks[i], probe) is { } subset)
                {
                    (state, choices, granularity, reduced) = (subset, chunks[i], 2, true);
                }
            }
            for (var i = 0; i < chunks.Count && !reduced && granularity > 2 && !probe.Exhausted; i++)
            {
                var complement = chunks.Where((_, j) => j != i).SelectMany(c => c).ToList();
                if (Test(state, complement, probe) is { } smaller)
                {
                    (state, choices, granularity, reduced) = (smaller, complement, Math.Max(granularity - 1, 2), true);
                }
            }
            if (reduced)
                continue;
            if (granularity >= choices.Count)
                break;
            granularity = Math.Min(granularity * 2, choices.Count);
        }
        return state;
    }

    private static ShrinkState? Test(ShrinkState state, List<GuideChoice> choices, ShrinkProbe probe)
    {
        if (choices.Count >= state.Candidate.Guide.Count)
            return null;
        var tried = probe.Try(state.Candidate with { Guide = new ScheduleGuide(choices) });
        return tried is not null && tried.Run.Schedule.Count <= state.Run.Schedule.Count ? tried : null;
    }

    /// <summary>Splits into <paramref name="parts"/> contiguous chunks of near-equal size.</summary>
    private static List<List<GuideChoice>> Split(List<GuideChoice> choices, int parts)
    {
        var chunks = new List<List<GuideChoice>>(parts);
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var end = choices.Count * (i + 1) / parts;
            chunks.Add(choices.GetRange(start, end - start));
            start = end;
        }
        return chunks;
    }
}
