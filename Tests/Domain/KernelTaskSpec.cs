using Gpuvmsim.Domain.Kernel;

namespace Gpuvmsim.Tests.Domain;

public class KernelTaskSpec
{
    /// <summary>A hand-completed awaitable standing in for "the reply arrives".</summary>
    private sealed class Gate
    {
        private readonly List<KernelTask<int>> waiting = [];

        public KernelTask<int> Wait()
        {
            var t = new KernelTask<int>();
            waiting.Add(t);
            return t;
        }

        public void Open(int value)
        {
            var t = waiting[0];
            waiting.RemoveAt(0);
            t.SetResult(value);
        }

        public int Waiting => waiting.Count;
    }

    private static async KernelTask<int> SumOfThree(Gate gate, List<string> log)
    {
        var sum = 0;
        for (var i = 0; i < 3; i++)
        {
            log.Add($"wait {i}");
            sum += await gate.Wait();
            log.Add($"got {i}");
        }
        return sum;
    }

    private static async KernelTask<int> Outer(Gate gate, List<string> log) => await SumOfThree(gate, log) * 10;

    [Fact]
    public void A_coroutine_runs_synchronously_until_its_first_await_and_resumes_when_the_reply_is_set()
    {
        var gate = new Gate();
        var log = new List<string>();
        var task = Outer(gate, log);
        Assert.False(task.IsCompleted);
        Assert.Equal(["wait 0"], log);
        gate.Open(1);
        Assert.Equal(["wait 0", "got 0", "wait 1"], log);
        gate.Open(2);
        gate.Open(3);
        Assert.True(task.IsCompleted);
        Assert.Equal(60, task.Result);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public void A_coroutine_that_never_awaits_completes_at_once()
    {
        static async KernelTask<int> Immediate() { await KernelTask.CompletedTask; return 7; }
        var t = Immediate();
        Assert.True(t.IsCompleted);
        Assert.Equal(7, t.Result);
    }

    [Fact]
    public void An_exception_after_a_resume_fails_the_whole_chain()
    {
        var gate = new Gate();
        async KernelTask Throws() { await gate.Wait(); throw new InvalidOperationException("oops"); }
        async KernelTask Caller() => await Throws();
        var t = Caller();
        gate.Open(0);
        Assert.True(t.IsCompleted);
        Assert.IsType<InvalidOperationException>(t.Exception);
    }

    [Fact]
    public void No_synchronization_context_is_used_to_resume()
    {
        var gate = new Gate();
        var posted = 0;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new CountingContext(() => posted++));
        try
        {
            var t = Outer(gate, []);
            gate.Open(1); gate.Open(1); gate.Open(1);
            Assert.True(t.IsCompleted);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        Assert.Equal(0, posted);
    }

    private sealed class CountingContext(Action onPost) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            onPost();
            d(state);
        }
    }
}
