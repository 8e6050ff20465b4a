using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Scenarios;

/// <summary>
/// Every scenario of the library (scenarios/), under every design its <c>expect</c> block names, explored exhaustively:
/// the set of finding kinds must be exactly the expected one, the search must be exhausted (so an empty set is a proof
/// of absence), and each finding must show again when its recorded schedule is replayed.
/// </summary>
public class ScenarioLibrarySpec
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in FileNames)
        {
            foreach (var expect in ScenarioParser.ParseFile(Path.Combine(LibraryFolder, file)).Expectations)
                data.Add(file, expect.Design);
        }
        return data;
    }

    /// <summary>The library's scenario files by name, in ordinal order.</summary>
    internal static IEnumerable<string> FileNames =>
        Directory.GetFiles(LibraryFolder, "*.conf").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    /// <summary>Every library scenario file, for a theory over the whole library.</summary>
    public static TheoryData<string> LibraryFiles() => [.. FileNames];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Library_scenario_finds_exactly_what_its_expect_block_says(string file, string design)
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(LibraryFolder, file));
        var expected = scenario.Expectations.Single(e => e.Design == design).Kinds;
        var world = Worlds.For(scenario);
        var result = Explorer.Explore(scenario, ScenarioValidator.Designs(scenario)[design],
            new ExploreOptions { Strategy = "dfs", Budget = 2_000_000 }, world);

        Assert.True(result.Exhausted, $"{file} under {design}: the search was not exhausted after {result.Schedules} schedules");
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Kinds.Order(StringComparer.Ordinal));
        foreach (var finding in result.Findings)
        {
            // An inversion's cycle may span several schedules: its witnesses are replayed with it, as lockdep's graph spans them.
            var replay = Reproducer.Replay(new ReproductionRequest(scenario, ScenarioValidator.Designs(scenario)[design], finding.ScheduleIndex,
                Schedule.Parse(finding.Schedule), [.. finding.Witnesses.Select(w => (w.Index, Schedule.Parse(w.Schedule)))]));
            Assert.Null(replay.Diverged);
            Assert.Contains(finding.Finding.Key, replay.Findings.Select(f => f.Key));
            Assert.Equal(finding.TraceSha256, replay.TraceSha256);
        }
    }

    internal static string LibraryFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scenarios");
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")) && Directory.Exists(candidate))
                    return candidate;
            }
            throw new DirectoryNotFoundException("the scenarios/ folder next to Actors.sln");
        }
    }
}
