// DOC: The gpuvm-ops check against the kernel: run one test-vector case through the model.
//
// A case (shared/spec/gpuvm-ops-format.md) is a VA space [mm_start, mm_start+mm_range) and a
// list of map/unmap requests. The vectors were produced by the kernel's own drm_gpuvm.c in
// userspace: for each request drm_gpuvm_sm_map_ops_create / drm_gpuvm_sm_unmap_ops_create built
// the ops list, which was recorded and then applied with drm_gpuva_map/remap/unmap, a new VA per
// new mapping. The runner does the same through GpuVmWorld (so the vm_bo and refcount
// bookkeeping runs too, and its invariants can be checked) and returns the recorded step lists
// and the final VA list, or the first rejection. Pure: no I/O, no lock (one world per case).

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>One gpuvm-ops case: an id, a VA space and its requests in order.</summary>
public sealed record GpuvmOpsCase(string Id, ulong MmStart, ulong MmRange, ImmutableArray<VmRequest> Requests);

/// <summary>What the model computed for a case: the steps of each request and the final VAs, or an error.</summary>
/// <param name="Steps">Steps[i] lists the steps of request i in kernel order.</param>
/// <param name="Final">Every VA after the last request, in address order.</param>
/// <param name="Error">Set when a request was rejected; Steps and Final are then empty.</param>
public sealed record GpuvmOpsResult(string Id, ImmutableArray<ImmutableArray<GpuVaOp>> Steps, ImmutableArray<GpuVa> Final, string? Error)
{
    public static GpuvmOpsResult Failed(string id, string error) => new(id, [], [], error);
}

/// <summary>Runs gpuvm-ops cases against the model.</summary>
public static class GpuvmOpsRunner
{
    /// <summary>
    /// Runs <paramref name="c"/>. With <paramref name="strict"/> false (the default, kernel-exact)
    /// requests are checked only by drm_gpuvm_range_valid; with true, by the msm/issue rules
    /// (page alignment, range &gt; 0). The first rejected request makes the whole case an error.
    /// </summary>
    public static GpuvmOpsResult Run(GpuvmOpsCase c, bool strict = false, ulong pageSize = RequestValidator.DefaultPageSize) =>
        Run(c, strict, pageSize, out _);

    /// <summary>As <see cref="Run(GpuvmOpsCase, bool, ulong)"/>, also handing back the world for inspection.</summary>
    public static GpuvmOpsResult Run(GpuvmOpsCase c, bool strict, ulong pageSize, out GpuVmWorld world)
    {
        world = new GpuVmWorld(new WorldOptions { PageSize = pageSize, StrictValidation = strict });
        var vm = world.CreateVm(c.MmStart, c.MmRange);
        var steps = ImmutableArray.CreateBuilder<ImmutableArray<GpuVaOp>>(c.Requests.Length);
        for (var i = 0; i < c.Requests.Length; i++)
        {
            var req = c.Requests[i];
            if (req is MapRequest { Obj: { } obj } && !world.HasObject(obj))
                world.CreateObject(obj, size: null);
            var outcome = world.BindWithOpsList(vm, req);
            if (outcome.Rejected is { } error)
                return GpuvmOpsResult.Failed(c.Id, $"request {i} ({(req is MapRequest ? "map" : "unmap")}): {error.Message}");
            steps.Add(outcome.Ops);
        }
        return new GpuvmOpsResult(c.Id, steps.MoveToImmutable(), [.. world.Vm(vm).Vas()], null);
    }
}
