using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Mmu;

// The protocol of an MMU actor (msm_mmu: the io-pgtable and mmu->prealloc). Map and unmap of a range backed by an
// object assert that the object is locked; mmu->prealloc may only be set while run_job holds op_lock.

/// <summary><c>prealloc_allocate</c> in the submit ioctl: the job's page-table pages. No answer.</summary>
public sealed record AllocatePrealloc(ContextId From, JobId Job, uint Pages);

/// <summary><c>mmu->prealloc = &amp;submit->prealloc</c> (run_job). No answer.</summary>
public sealed record AttachPrealloc(ContextId From, JobId Job);

/// <summary><c>mmu->prealloc = NULL</c>. No answer.</summary>
public sealed record DetachPrealloc(ContextId From);

/// <summary><c>prealloc_cleanup</c>: the job's unused pages are freed. No answer.</summary>
public sealed record CleanupPrealloc(ContextId From, JobId Job);

/// <summary><c>mmu->funcs->map</c> of [Iova, Iova+Len) to Obj at Offset (NULL: the PRR page); answered with <see cref="MapResult"/>.</summary>
public sealed record MapRange(ContextId From, ulong Iova, ObjId? Obj, ulong Offset, ulong Len, string Function);

public sealed record MapResult(int Errno);

/// <summary><c>mmu->funcs->unmap</c>; v2 ignores the result. No answer.</summary>
public sealed record UnmapRange(ContextId From, ulong Iova, ulong Len, ObjId? Obj, string Function);
