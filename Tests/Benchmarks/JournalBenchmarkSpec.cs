using Gpuvmsim.Benchmarks;

namespace Gpuvmsim.Tests.Benchmarks;

/// <summary>Proves <c>gpuvmsim bench journal</c> runs and reports every field; speed is never asserted here.</summary>
public sealed class JournalBenchmarkSpec
{
    [Fact]
    public void Quick_journal_benchmark_reports_every_field_as_a_positive_number()
    {
        var bench = BenchmarkCatalog.Find("journal");
        Assert.NotNull(bench);
        var progress = new StringWriter();

        var result = bench.Run(new BenchmarkOptions(Quick: true, progress));

        Assert.Equal(["events_per_s", "raw_insert_per_s", "ratio_vs_raw", "replay_events_per_s", "explore_overhead"], result.Select(p => p.Key));
        Assert.All(result, p => Assert.True(p.Value!.GetValue<double>() > 0, $"{p.Key} = {p.Value}"));
        Assert.Contains("replay", progress.ToString());
    }
}
