using Gpuvmsim.Benchmarks;

namespace Gpuvmsim.Tests.Benchmarks;

/// <summary>Smoke test of <c>gpuvmsim bench gpuvm</c>: it runs and reports every figure. Speed is never asserted.</summary>
public sealed class GpuvmBenchmarkSpec
{
    [Fact]
    public void The_quick_gpuvm_benchmark_reports_every_field_as_a_positive_number()
    {
        var bench = BenchmarkCatalog.Find("gpuvm");
        Assert.NotNull(bench);
        var result = bench.Run(new BenchmarkOptions(Quick: true, TextWriter.Null));
        foreach (var field in new[] { "requests_per_s_1k", "requests_per_s_100k", "requests_per_s_1m", "baseline_requests_per_s_100k", "ratio_vs_baseline_100k" })
        {
            Assert.True(result.ContainsKey(field), $"missing {field}");
            Assert.True(result[field]!.GetValue<double>() > 0, $"{field} is not positive");
        }
    }

    [Fact]
    public void The_sorted_list_baseline_ends_in_the_same_state_as_the_model()
    {
        Assert.True(GpuvmBenchmark.ModelAndBaselineAgree(mappings: 2_000, count: 20_000));
    }
}
