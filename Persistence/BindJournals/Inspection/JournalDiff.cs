using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>A setting the two runs do not share.</summary>
public sealed record SetupDifference(string Field, string A, string B);

/// <summary>Where two schedules part: the 0-based choice, each side's choice (null where that schedule ended), and the trace step it decides.</summary>
public sealed record ScheduleDivergence(int Choice, string? A, string? B, long Step);

/// <summary>What differs between two stored runs: their setups, where their schedules and traces part, and their findings.</summary>
public sealed record RunDifference(
    string A,
    string B,
    IReadOnlyList<SetupDifference> Setup,
    ScheduleDivergence? Schedule,
    TraceDivergence? Trace,
    IReadOnlyList<RecordedFinding> FindingsOnlyInA,
    IReadOnlyList<RecordedFinding> FindingsOnlyInB,
    IReadOnlyList<RecordedFinding> FindingsInBoth)
{
    public bool Identical => Setup.Count == 0 && Schedule is null && Trace is null && FindingsOnlyInA.Count == 0 && FindingsOnlyInB.Count == 0;
}

public static class JournalDiff
{
    public static RunDifference Compare(StoredRun a, StoredRun b)
    {
        var (ha, hb) = (a.Header, b.Header);
        var keysA = ha.Findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var keysB = hb.Findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return new RunDifference(
            a.JournalId, b.JournalId, SetupDifferences(ha.Setup, hb.Setup), FirstScheduleDivergence(ha.Schedule, hb.Schedule),
            TraceComparer.FirstDivergence(a.Trace, b.Trace),
            [.. ha.Findings.Where(f => !keysB.Contains(f.Key)).DistinctBy(f => f.Key)],
            [.. hb.Findings.Where(f => !keysA.Contains(f.Key)).DistinctBy(f => f.Key)],
            [.. ha.Findings.Where(f => keysB.Contains(f.Key)).DistinctBy(f => f.Key)]);
    }

    private static List<SetupDifference> SetupDifferences(RunSetup a, RunSetup b)
    {
        var differences = new List<SetupDifference>();
        void Compare(string field, object x, object y)
        {
            var (sx, sy) = (Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture) ?? "", Convert.ToString(y, System.Globalization.CultureInfo.InvariantCulture) ?? "");
            if (sx != sy)
                differences.Add(new SetupDifference(field, sx, sy));
        }
        Compare("scenario", a.Scenario, b.Scenario);
        Compare("scenario_sha256", a.ScenarioSha256, b.ScenarioSha256);
        Compare("design", a.Design, b.Design);
        foreach (var knob in a.Knobs.Keys.Union(b.Knobs.Keys).Order(StringComparer.Ordinal))
            Compare($"knob {knob}", a.Knobs.GetValueOrDefault(knob) ?? "(none)", b.Knobs.GetValueOrDefault(knob) ?? "(none)");
        Compare("strategy", a.Strategy, b.Strategy);
        Compare("seed", a.Seed, b.Seed);
        Compare("pct_depth", a.PctDepth, b.PctDepth);
        Compare("max_steps", a.MaxSteps, b.MaxSteps);
        return differences;
    }

    /// <summary>The first choice at which the schedules differ; a schedule this version cannot parse is compared as text.</summary>
    private static ScheduleDivergence? FirstScheduleDivergence(string a, string b)
    {
        if (a == b)
            return null;
        if (!Schedule.TryParse(a, out var sa, out _) || !Schedule.TryParse(b, out var sb, out _))
            return new ScheduleDivergence(0, a, b, 0);
        var steps = 0L;
        for (var i = 0; i < Math.Max(sa!.Count, sb!.Count); i++)
        {
            ScheduleChoice? ca = i < sa.Count ? sa[i] : null;
            ScheduleChoice? cb = i < sb.Count ? sb[i] : null;
            if (ca != cb)
                return new ScheduleDivergence(i, ca?.ToString(), cb?.ToString(), steps);
            if (ca!.Value.IsDelivery)
                steps++;
        }
        return null;
    }
}
