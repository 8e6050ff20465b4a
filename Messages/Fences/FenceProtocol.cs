using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Messages.Fences;

/// <summary>One dma_fence: a scenario's in-fence or a job's finished fence.</summary>
public readonly record struct FenceId(int Value)
{
    public override string ToString() => $"F{Value}";
}

/// <summary>Signals a fence with an error (0 = success, -ESRCH for a killed job). No answer.</summary>
public sealed record SignalFence(ContextId? From, FenceId Fence, int Error);

/// <summary>Waits for a fence; answered with <see cref="FenceSignalled"/> once it has signalled (at once if it has).</summary>
public sealed record AwaitFence(FenceId Fence);

public sealed record FenceSignalled(FenceId Fence, int Error);

/// <summary>A bounded fence wait ran out of time (a timer a context sends itself). No answer.</summary>
public sealed record FenceWaitTimedOut(FenceId Fence);
