using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gpuvmsim.Host.Cli;
using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>The 25 kernel-generated examples of shared/spec/gpuvm-ops-examples.jsonl, run through the verb's core.</summary>
public sealed class GpuvmOpsExamplesSpec
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Model", "Fixtures", "gpuvm-ops-examples.jsonl");

    public static TheoryData<string> ExampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(FixturePath))
            data.Add(JsonNode.Parse(line)!["id"]!.GetValue<string>());
        return data;
    }

    // Cases from a userspace build of drm_gpuvm.c @ cb9f145f638d (the fuzzing harness stays out of the
    // repository), picked to cover what the examples do not: spaces ending just below 2^64, offsets
    // at or above 2^63 on BOs and NULL mappings, spaces of up to 2^63 bytes, and one case whose
    // 64 and more VAs fill several VaTree leaves before wide maps and unmaps empty them again.
    private static readonly string KernelVectorsPath = Path.Combine(AppContext.BaseDirectory, "Model", "Fixtures", "gpuvm-ops-kernel-vectors.jsonl");

    [Fact]
    public void Every_example_gives_exactly_the_kernel_steps_and_final_state() => AssertVerbReproduces(FixturePath, 25);

    [Fact]
    public void Kernel_harness_vectors_near_the_top_of_u64_and_over_many_vas_give_exactly_the_kernel_output() =>
        AssertVerbReproduces(KernelVectorsPath, 31);

    private static void AssertVerbReproduces(string path, int cases)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(cases, lines.Length);
        var output = RunVerb(string.Join('\n', lines), out var malformed);
        Assert.Equal(0, malformed);
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, results.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var expected = JsonNode.Parse(lines[i])!.AsObject();
            var expectedLine = new JsonObject
            {
                ["id"] = expected["id"]!.DeepClone(),
                ["steps"] = expected["steps"]!.DeepClone(),
                ["final"] = expected["final"]!.DeepClone(),
            }.ToJsonString();
            Assert.Equal(expectedLine, results[i]);
        }
    }

    [Theory]
    [MemberData(nameof(ExampleIds))]
    public void Each_example_keeps_every_invariant_and_agrees_between_ops_list_and_callback_forms(string id)
    {
        var line = File.ReadLines(FixturePath).Single(l => JsonNode.Parse(l)!["id"]!.GetValue<string>() == id);
        var c = GpuvmOpsJson.Parse(line, 1);
        var listWorld = NewWorld(c, out var listVm);
        var walkWorld = NewWorld(c, out var walkVm);
        foreach (var req in c.Requests)
        {
            var before = listWorld.Vm(listVm).Vas().ToList();
            var listed = listWorld.BindWithOpsList(listVm, req);
            var walked = walkWorld.BindInPlace(walkVm, req);
            Assert.True(listed.Ok && walked.Ok);
            Assert.Equal(listed.Ops.AsEnumerable(), walked.Ops.AsEnumerable());
            var after = listWorld.Vm(listVm).Vas().ToList();
            var checker = req is MapRequest m
                ? SplitMergeChecker.CheckMap(before, m.Op, listed.Ops, after)
                : SplitMergeChecker.CheckUnmap(before, req.Addr, req.Range, listed.Ops, after);
            Assert.Empty(checker);
            Assert.Empty(listWorld.CheckInvariants());
            Assert.Empty(walkWorld.CheckInvariants());
            Assert.Equal(listWorld.StateHash(), walkWorld.StateHash());
        }
        Assert.Empty(listWorld.Findings);
    }

    private static GpuVmWorld NewWorld(GpuvmOpsCase c, out VmId vm)
    {
        var world = new GpuVmWorld(new WorldOptions { WithMmu = true });
        vm = world.CreateVm(c.MmStart, c.MmRange);
        foreach (var obj in c.Requests.OfType<MapRequest>().Select(r => r.Obj).OfType<ObjId>().Distinct())
            world.CreateObject(obj, size: null);
        return world;
    }

    internal static string RunVerb(string input, out int malformed, bool strict = false)
    {
        using var output = new MemoryStream();
        using var errors = new StringWriter();
        malformed = GpuvmOpsCommand.Process(new StringReader(input), output, errors, strict);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
