using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Mmu;

// The protocol of an MMU actor (msm_mmu: the io-pgtable and mmu->prealloc). Every request is answered: the MMU owns no
// lock, its callers are serialised by locks other actors own, so a caller must know its change landed before it
// releases those locks (two callers' messages travel on different channels and could otherwise overtake each other).

/// <summary><c>prealloc_allocate</c> in the submit ioctl: the job's page-table pages. Answered with <see cref="MmuDone"/>.</summary>
public sealed record AllocatePrealloc(ContextId From, JobId Job, uint Pages);

/// <summary><c>mmu->prealloc = &amp;submit->prealloc</c> (run_job). Answered with <see cref="MmuDone"/>.</summary>
public sealed record AttachPrealloc(ContextId From, JobId Job);

/// <summary><c>mmu->prealloc = NULL</c>. Answered with <see cref="MmuDone"/>.</summary>
public sealed record DetachPrealloc(ContextId From);

/// <summary><c>prealloc_cleanup</c>: the job's unused pages are freed. Answered with <see cref="MmuDone"/>.</summary>
public sealed record CleanupPrealloc(ContextId From, JobId Job);

/// <summary><c>mmu->funcs->map</c> of [Iova, Iova+Len) to Obj at Offset (NULL: the PRR page); answered with <see cref="MapResult"/>.</summary>
public sealed record MapRange(ContextId From, ulong Iova, ObjId? Obj, ulong Offset, ulong Len, string Function);

public sealed record MapResult(int Errno);

/// <summary><c>mmu->funcs->unmap</c>; v2 ignores the result. Answered with <see cref="MmuDone"/>.</summary>
public sealed record UnmapRange(ContextId From, ulong Iova, ulong Len, ObjId? Obj, string Function);

/// <summary>The MMU applied a request that returns nothing.</summary>
public sealed record MmuDone
{
    public static MmuDone Instance { get; } = new();
}
