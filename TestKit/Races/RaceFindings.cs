using System.Text;
using Gpuvmsim.Exploration;
using Xunit.Sdk;

namespace Gpuvmsim.TestKit.Races;

/// <summary>What an exploration found, with assertions whose failure messages carry the lockdep reports and interleavings.</summary>
public sealed class RaceFindings(RaceScenario race, ExplorationResult result)
{
    public ExplorationResult Result { get; } = result;

    public IReadOnlyList<ExplorationFinding> All => Result.Findings;

    public IReadOnlySet<string> Kinds => Result.Kinds;

    /// <summary>The first finding of <paramref name="kind"/>.</summary>
    public ExplorationFinding Finding(string kind) =>
        All.FirstOrDefault(f => f.Kind == kind) ?? throw new XunitException($"{Describe()}: no {kind} among [{string.Join(", ", Kinds)}]\n{Reports()}");

    /// <summary>Exactly these finding kinds, in any order (none for a clean scenario).</summary>
    public RaceFindings AssertKinds(params string[] kinds)
    {
        if (!Kinds.SetEquals(kinds))
            throw new XunitException($"{Describe()}: expected [{string.Join(", ", kinds.Order(StringComparer.Ordinal))}], found [{string.Join(", ", Kinds.Order(StringComparer.Ordinal))}]\n{Reports()}");
        return this;
    }

    public RaceFindings AssertNoFindings() => AssertKinds();

    /// <summary>A dfs exploration visited every distinct schedule: an empty finding list is then a proof of absence.</summary>
    public RaceFindings AssertExhausted()
    {
        if (!Result.Exhausted)
            throw new XunitException($"{Describe()}: the search was not exhausted after {Result.Schedules} schedules");
        return this;
    }

    private string Describe() => $"{race.Scenario.Name} under {race.Design.Name} ({Result.Strategy}, {Result.Schedules} schedules)";

    private string Reports()
    {
        var text = new StringBuilder();
        foreach (var f in All)
            text.AppendLine($"--- {f.Kind}: {f.Finding.Summary} (schedule {f.Schedule})").Append(f.Finding.Report).Append(InterleavingTable.Render(f.Interleaving));
        return text.ToString();
    }
}
