using System.Diagnostics;
using System.Text.Json.Nodes;
using Gpuvmsim.Model;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// <c>gpuvmsim bench gpuvm</c>: split/merge throughput of the model's VA space. Random map/unmap
/// requests (splits inside mappings, covers of several, exact re-maps, whole and middle unmaps,
/// contiguous fills; the population kept near its size) go through GpuVm.SmMap / SmUnmap with an
/// InPlaceStepHandler, i.e. the callback walk applying each step in place with
/// drm_gpuva_map/remap/unmap: the path a VM actor uses. Sizes: about 1K, 100K and 1M mappings.
/// The baseline applies the same requests, with the same resulting state, to a sorted list scanned
/// linearly, at 100K mappings, in the same run. Each figure is the best of several timed chunks
/// after a warm-up chunk; requests are generated beforehand and not timed.
/// </summary>
public sealed class GpuvmBenchmark : IBenchmark
{
    private const int PopulationSeed = 20250611;
    private const int RequestSeed = 42;

    public string Name => "gpuvm";

    public string Description =>
        "requests/s of GpuVm.SmMap/SmUnmap with an in-place step handler (the VM actor's callback walk) at ~1K/100K/1M mappings, vs a linearly scanned sorted list at 100K";

    public JsonObject Run(BenchmarkOptions options)
    {
        int[] sizes = options.Quick ? [1_000, 10_000, 50_000] : [1_000, 100_000, 1_000_000];
        var chunk = options.Quick ? 20_000 : 200_000;
        var baselineChunk = options.Quick ? 500 : 2_000;
        var reps = options.Quick ? 3 : 7; // the first chunk warms up and is not counted
        var rates = sizes.Select(n => MeasureModel(n, chunk, reps, options.Progress)).ToArray();
        var baseline = MeasureBaseline(sizes[1], baselineChunk, reps, options.Progress);
        return new JsonObject
        {
            ["requests_per_s_1k"] = Math.Round(rates[0]),
            ["requests_per_s_100k"] = Math.Round(rates[1]),
            ["requests_per_s_1m"] = Math.Round(rates[2]),
            ["baseline_requests_per_s_100k"] = Math.Round(baseline),
            ["ratio_vs_baseline_100k"] = Math.Round(rates[1] / baseline, 1),
            ["ratio_1m_vs_1k"] = Math.Round(rates[2] / rates[0], 3),
        };
    }

    /// <summary>Runs <paramref name="count"/> requests on both the model and the baseline from the same population;
    /// true when they end with identical mappings (the baseline really has the same semantics).</summary>
    internal static bool ModelAndBaselineAgree(int mappings, int count)
    {
        var requests = GpuvmWorkload.Requests(GpuvmWorkload.Build(mappings, PopulationSeed), mappings, count, RequestSeed);
        var vm = GpuvmWorkload.Build(mappings, PopulationSeed);
        var handler = new InPlaceStepHandler(vm);
        var baseline = new SortedListVaSpace(GpuvmWorkload.Population(mappings, PopulationSeed));
        foreach (var r in requests)
        {
            GpuvmWorkload.Apply(vm, handler, r);
            baseline.Apply(r);
        }
        return vm.Vas().Select(v => (v.Addr, v.Range, v.Obj!.Value.Value, v.Offset)).SequenceEqual(baseline.Vas);
    }

    private static double MeasureModel(int mappings, int chunk, int reps, TextWriter progress)
    {
        var requests = GpuvmWorkload.Requests(GpuvmWorkload.Build(mappings, PopulationSeed), mappings, chunk * reps, RequestSeed);
        var vm = GpuvmWorkload.Build(mappings, PopulationSeed);
        var handler = new InPlaceStepHandler(vm);
        var best = Measure(reps, chunk, start =>
        {
            for (var i = start; i < start + chunk; i++)
                GpuvmWorkload.Apply(vm, handler, requests[i]);
        });
        progress.WriteLine($"gpuvm: model at ~{mappings} mappings (now {vm.Count}): {best:F0} requests/s");
        return best;
    }

    private static double MeasureBaseline(int mappings, int chunk, int reps, TextWriter progress)
    {
        var requests = GpuvmWorkload.Requests(GpuvmWorkload.Build(mappings, PopulationSeed), mappings, chunk * reps, RequestSeed);
        var baseline = new SortedListVaSpace(GpuvmWorkload.Population(mappings, PopulationSeed));
        var best = Measure(reps, chunk, start =>
        {
            for (var i = start; i < start + chunk; i++)
                baseline.Apply(requests[i]);
        });
        progress.WriteLine($"gpuvm: sorted-list baseline at ~{mappings} mappings (now {baseline.Count}): {best:F0} requests/s");
        return best;
    }

    private static double Measure(int reps, int chunk, Action<int> runChunk)
    {
        var best = 0.0;
        for (var rep = 0; rep < reps; rep++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            runChunk(rep * chunk);
            sw.Stop();
            if (rep > 0)
                best = Math.Max(best, chunk / sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
