using System.Runtime.CompilerServices;

namespace Gpuvmsim.Domain.Kernel;

/// <summary>Async method builder of <see cref="KernelTask"/>: runs the state machine inline, captures no context.</summary>
public struct KernelTaskBuilder
{
    private KernelTask? task;
    private Action? moveNext;

    public static KernelTaskBuilder Create() => default;

    public KernelTask Task => task ??= new KernelTask();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    // Called by the compiler on the builder inside the boxed state machine: remember how to resume the box.
    public void SetStateMachine(IAsyncStateMachine stateMachine) => moveNext ??= ResumeDelegate.Installing ?? stateMachine.MoveNext;

    public void SetResult() => Task.SetCompleted();

    public void SetException(Exception exception) => Task.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MoveNextOf(ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MoveNextOf(ref stateMachine));

    private Action MoveNextOf<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        _ = Task; // created before boxing, so the caller's copy and the box share one task
        if (moveNext is not null)
            return moveNext; // already running inside the box
        // First suspension: box the state machine once; the box's own builder keeps its MoveNext.
        IAsyncStateMachine boxed = stateMachine;
        return ResumeDelegate.Install(boxed);
    }
}

/// <summary>Async method builder of <see cref="KernelTask{T}"/>.</summary>
public struct KernelTaskBuilder<T>
{
    private KernelTask<T>? task;
    private Action? moveNext;

    public static KernelTaskBuilder<T> Create() => default;

    public KernelTask<T> Task => task ??= new KernelTask<T>();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    // Called by the compiler on the builder inside the boxed state machine: remember how to resume the box.
    public void SetStateMachine(IAsyncStateMachine stateMachine) => moveNext ??= ResumeDelegate.Installing ?? stateMachine.MoveNext;

    public void SetResult(T result) => Task.SetResult(result);

    public void SetException(Exception exception) => Task.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MoveNextOf(ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MoveNextOf(ref stateMachine));

    private Action MoveNextOf<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        _ = Task; // created before boxing, so the caller's copy and the box share one task
        if (moveNext is not null)
            return moveNext; // already running inside the box
        // First suspension: box the state machine once; the box's own builder keeps its MoveNext.
        IAsyncStateMachine boxed = stateMachine;
        return ResumeDelegate.Install(boxed);
    }
}

/// <summary>
/// Creates a boxed state machine's MoveNext delegate once and hands the same instance to the box's builder (through
/// <c>SetStateMachine</c>, whose signature cannot carry it) and to the first awaiter: one delegate per suspended call
/// instead of two (an explorer runs thousands of these per second).
/// </summary>
internal static class ResumeDelegate
{
    [ThreadStatic]
    internal static Action? Installing;

    internal static Action Install(IAsyncStateMachine boxed)
    {
        Action resume = boxed.MoveNext;
        Installing = resume;
        try
        {
            boxed.SetStateMachine(boxed);
        }
        finally
        {
            Installing = null;
        }
        return resume;
    }
}
