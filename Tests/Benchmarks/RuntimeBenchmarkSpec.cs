using Gpuvmsim.Benchmarks;

namespace Gpuvmsim.Tests.Benchmarks;

/// <summary>
/// Measurements that read process-wide counters (GC.GetTotalMemory) run alone: a test freeing memory on another
/// thread meanwhile would make the idle-actor figure negative.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMeasurements), DisableParallelization = true)]
public sealed class ProcessWideMeasurements;

[Collection(nameof(ProcessWideMeasurements))]
public sealed class RuntimeBenchmarkSpec
{
    [Fact]
    public void The_quick_runtime_benchmark_reports_every_field_as_a_positive_number()
    {
        var bench = BenchmarkCatalog.Find("runtime");
        Assert.NotNull(bench);
        var result = bench.Run(new BenchmarkOptions(Quick: true, TextWriter.Null));
        string[] fields =
        [
            "deterministic_msgs_per_s", "raw_queue_msgs_per_s", "deterministic_vs_raw_queue",
            "threadpool_msgs_per_s", "channel_msgs_per_s", "threadpool_vs_channel", "bytes_per_idle_actor",
        ];
        foreach (var field in fields)
        {
            Assert.True(result.ContainsKey(field), $"missing {field}");
            Assert.True(result[field]!.GetValue<double>() > 0, $"{field} is not positive: {result[field]}");
        }
    }
}
