namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// Runs the shared <c>async</c>-flagged code synchronously: with <c>async: false</c> every await inside meets an
/// already completed task, so the returned task is complete and taking its result never blocks on the thread pool.
/// </summary>
internal static class Sync
{
    public static T Run<T>(ValueTask<T> task)
    {
        if (!task.IsCompleted)
            throw new InvalidOperationException("internal error: synchronous store code went asynchronous");
        return task.GetAwaiter().GetResult();
    }

    public static void Run(ValueTask task)
    {
        if (!task.IsCompleted)
            throw new InvalidOperationException("internal error: synchronous store code went asynchronous");
        task.GetAwaiter().GetResult();
    }
}
