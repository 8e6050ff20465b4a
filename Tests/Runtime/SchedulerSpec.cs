using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class SchedulerSpec : Gpuvmsim.TestKit.TestKit
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Virtual_time_starts_at_the_epoch_and_never_reads_the_wall_clock()
    {
        Assert.Equal(Epoch, Sys.Scheduler.Now);
        Assert.Equal(Epoch, Driver.Now);
    }

    [Fact]
    public void ScheduleTellOnce_delivers_after_the_delay_in_virtual_time()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(30), TestActor, "tick", null);
        ExpectNoMsg(TimeSpan.FromSeconds(29));
        Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => ExpectMsg("tick"));
        Assert.Equal(Epoch.AddSeconds(30), Driver.Now);
    }

    [Fact]
    public void ScheduleTellRepeatedly_delivers_at_each_interval_until_cancelled()
    {
        var timer = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TestActor, "tick", null);
        var times = new List<TimeSpan>();
        for (int i = 0; i < 3; i++)
        {
            ExpectMsg("tick", TimeSpan.FromSeconds(10));
            times.Add(Driver.Elapsed);
        }
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(11) }, times);
        timer.Cancel();
        Assert.True(timer.IsCancellationRequested);
        ExpectNoMsg(TimeSpan.FromMinutes(1));
        Assert.False(Driver.HasPendingTimers);
    }

    [Fact]
    public void A_cancelled_timer_never_fires_and_leaves_the_system_quiescent()
    {
        var timer = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "never", null);
        Assert.True(Driver.HasPendingTimers);
        timer.Cancel();
        Assert.True(Driver.IsQuiescent);
        Assert.False(Driver.Step());
        Assert.Equal(Epoch, Driver.Now);
    }

    [Fact]
    public void Virtual_time_advances_only_when_nothing_is_deliverable()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "timer", null);
        for (int i = 0; i < 5; i++) echo.Tell(i);
        var received = ReceiveN(6, TimeSpan.FromSeconds(5));
        Assert.Equal(new object[] { 0, 1, 2, 3, 4, "timer" }, received);
        Assert.Equal(TimeSpan.FromSeconds(1), Driver.Elapsed);
    }

    [Fact]
    public void Timers_due_at_the_same_instant_fire_in_creation_order()
    {
        for (int i = 0; i < 5; i++) Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, i, null);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "first", null);
        Assert.Equal(new object[] { "first", 0, 1, 2, 3, 4 }, ReceiveN(6));
    }

    [Fact]
    public void AdvanceTime_fires_the_timers_due_on_the_way_and_stops_at_the_target()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(3), TestActor, "in", null);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(30), TestActor, "out", null);
        Driver.AdvanceTime(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), Driver.Elapsed);
        Assert.Equal(1, TestActorProbe.PendingCount);
        Assert.Equal(Epoch.AddSeconds(30), Driver.NextTimerDue);
    }

    [Fact]
    public void Step_fires_due_timers_when_idle_and_returns_false_only_when_quiescent()
    {
        Assert.False(Driver.Step());
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "x", null);
        Assert.True(Driver.Step());
        Assert.Equal(1, Driver.StepCount);
        Assert.Equal(TimeSpan.FromSeconds(1), Driver.Elapsed);
        Assert.False(Driver.Step());
    }
}
