using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Gpuvmsim.Domain.Kernel;

/// <summary>
/// The task type of simulated kernel code (<c>msm_vma_job_run</c>, <c>run_bo_unmap</c>, a lock script).
/// An execution-context actor runs such code as a coroutine: every <c>await</c> of a reply suspends it, and
/// the delivery of that reply resumes it synchronously, inside the actor's <c>Receive</c>.
///
/// Why not <see cref="Task"/>: a Task await captures the current <see cref="SynchronizationContext"/>, and a
/// runtime that installs one per actor would turn every continuation into an extra scheduled message. A
/// <see cref="KernelTask"/> never captures anything; its continuation runs exactly when the awaited result is
/// set. Single-threaded by design: the deterministic dispatcher's thread creates, awaits and completes it.
/// </summary>
[AsyncMethodBuilder(typeof(KernelTaskBuilder))]
public class KernelTask
{
    private Action? continuation;
    private ExceptionDispatchInfo? error;

    /// <summary>How to resume the suspended async method behind this task (set by its builder at the first await).</summary>
    internal Action? Resume { get; set; }

    public static KernelTask CompletedTask { get; } = Completed();

    public bool IsCompleted { get; private set; }

    /// <summary>The exception the code ended with, if it failed.</summary>
    public Exception? Exception => error?.SourceException;

    public KernelTaskAwaiter GetAwaiter() => new(this);

    internal void SetCompleted()
    {
        IsCompleted = true;
        RunContinuation();
    }

    internal void SetException(Exception e)
    {
        error = ExceptionDispatchInfo.Capture(e);
        IsCompleted = true;
        RunContinuation();
    }

    internal void OnCompleted(Action next)
    {
        if (IsCompleted)
            next();
        else if (continuation is null)
            continuation = next;
        else
            throw new InvalidOperationException("a KernelTask is awaited once");
    }

    internal void ThrowIfFailed() => error?.Throw();

    private void RunContinuation()
    {
        var next = continuation;
        continuation = null;
        next?.Invoke();
    }

    private static KernelTask Completed()
    {
        var t = new KernelTask();
        t.IsCompleted = true;
        return t;
    }
}

/// <summary>A <see cref="KernelTask"/> that produces a value (an errno, a lock outcome).</summary>
[AsyncMethodBuilder(typeof(KernelTaskBuilder<>))]
public class KernelTask<T> : KernelTask
{
    private T? result;

    public static KernelTask<T> FromResult(T value)
    {
        var t = new KernelTask<T>();
        t.SetResult(value);
        return t;
    }

    public new KernelTaskAwaiter<T> GetAwaiter() => new(this);

    /// <summary>The value of a completed task; a suspended one has none yet (an error, never a wait).</summary>
    public T Result
    {
        get
        {
            if (!IsCompleted)
                throw new InvalidOperationException("the kernel code is still suspended; it has no result yet");
            ThrowIfFailed();
            return result!;
        }
    }

    internal void SetResult(T value)
    {
        result = value;
        SetCompleted();
    }
}

public readonly struct KernelTaskAwaiter(KernelTask task) : ICriticalNotifyCompletion
{
    public bool IsCompleted => task.IsCompleted;

    public void GetResult() => task.ThrowIfFailed();

    public void OnCompleted(Action continuation) => task.OnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation) => task.OnCompleted(continuation);
}

public readonly struct KernelTaskAwaiter<T>(KernelTask<T> task) : ICriticalNotifyCompletion
{
    public bool IsCompleted => task.IsCompleted;

    public T GetResult() => task.Result;

    public void OnCompleted(Action continuation) => task.OnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation) => task.OnCompleted(continuation);
}
