using FsCheck;
using FsCheck.Fluent;
using Gpuvmsim.Tests.Reference;
using Xunit.Abstractions;

namespace Gpuvmsim.Tests.Exploration;

public class ScratchMismatchSpec(ITestOutputHelper output)
{
    [Fact]
    public void Scratch()
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("SCRATCH_N") ?? "100");
        var seed = ulong.Parse(Environment.GetEnvironmentVariable("SCRATCH_SEED") ?? "1");
        var mismatches = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long maxSched = 0;
        var hist = new Dictionary<string, int>();
        foreach (var script in Gen.Sample(LockScripts.Scripts().Generator, n, new Rnd(seed, 0x9E3779B97F4A7C15UL), 20))
        {
            var reference = LockScriptChecker.Verdict(script);
            var hk = ExplorerVerdict.Show(reference); hist[hk] = hist.GetValueOrDefault(hk) + 1;
            var result = ExplorerVerdict.Dfs(script);
            maxSched = Math.Max(maxSched, result.Schedules);
            if (!result.Exhausted || !reference.SetEquals(result.Kinds))
            {
                mismatches++;
                output.WriteLine($"MISMATCH exhausted={result.Exhausted} ref={ExplorerVerdict.Show(reference)} explorer={ExplorerVerdict.Show(result.Kinds)}\n{script.ToHocon()}");
            }
        }
        foreach (var kv in hist.OrderByDescending(kv => kv.Value)) output.WriteLine($"{kv.Value,5} {kv.Key}");
        output.WriteLine($"{mismatches} mismatches, {sw.ElapsedMilliseconds} ms, max schedules {maxSched}");
    }
}

public class ScratchOneSpec(ITestOutputHelper output)
{
    [Fact]
    public void One()
    {
        var path = Environment.GetEnvironmentVariable("SCRATCH_FILE") ?? "/tmp/ls/c3.conf";
        var spec = Gpuvmsim.Scenarios.ScenarioParser.ParseFile(path);
        var reference = LockScriptChecker.Verdict(RefScript.From(spec));
        var result = ExplorerVerdict.Dfs(spec);
        output.WriteLine($"ref={ExplorerVerdict.Show(reference)} explorer={ExplorerVerdict.Show(result.Kinds)} exhausted={result.Exhausted} schedules={result.Schedules}");
    }
}
