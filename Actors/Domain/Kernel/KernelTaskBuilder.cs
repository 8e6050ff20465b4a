using System.Runtime.CompilerServices;

namespace Gpuvmsim.Domain.Kernel;

/// <summary>Async method builder of <see cref="KernelTask"/>: runs the state machine inline, captures no context.</summary>
public struct KernelTaskBuilder
{
    private KernelTask? task;

    public static KernelTaskBuilder Create() => default;

    public KernelTask Task => task ??= new KernelTask();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    // The box's resume delegate lives on the task (MoveNextOf), so the builder has nothing to remember.
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult() => Task.SetCompleted();

    public void SetException(Exception exception) => Task.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MoveNextOf(ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MoveNextOf(ref stateMachine));

    // The task is created before boxing, so the caller's copy and the box share it, and with it one resume delegate:
    // the first suspension boxes the state machine (a struct in Release builds) and every later one reuses the box.
    private Action MoveNextOf<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        Task.Resume ??= ((IAsyncStateMachine)stateMachine).MoveNext;
}

/// <summary>Async method builder of <see cref="KernelTask{T}"/>.</summary>
public struct KernelTaskBuilder<T>
{
    private KernelTask<T>? task;

    public static KernelTaskBuilder<T> Create() => default;

    public KernelTask<T> Task => task ??= new KernelTask<T>();

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    // The box's resume delegate lives on the task (MoveNextOf), so the builder has nothing to remember.
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    public void SetResult(T result) => Task.SetResult(result);

    public void SetException(Exception exception) => Task.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MoveNextOf(ref stateMachine));

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MoveNextOf(ref stateMachine));

    // The task is created before boxing, so the caller's copy and the box share it, and with it one resume delegate:
    // the first suspension boxes the state machine (a struct in Release builds) and every later one reuses the box.
    private Action MoveNextOf<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        Task.Resume ??= ((IAsyncStateMachine)stateMachine).MoveNext;
}
