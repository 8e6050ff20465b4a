using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class TellAskForwardSpec : Gpuvmsim.TestKit.TestKit
{
    [Fact]
    public void Tell_from_test_code_uses_the_TestActor_as_implicit_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(new Ping(1));
        ExpectMsg(new Ping(1));
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void Forward_keeps_the_original_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var forwarder = Sys.ActorOf(Props.Create(() => new ForwardingActor(echo)), "fwd");
        var probe = CreateTestProbe();
        forwarder.Tell(new Ping(7), probe);
        probe.ExpectMsg(new Ping(7));
        Assert.Equal(echo, probe.LastSender);
    }

    [Fact]
    public void Ask_completes_with_the_reply_when_the_driver_steps()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var task = echo.Ask<Ping>(new Ping(3), TimeSpan.FromSeconds(1));
        Assert.False(task.IsCompleted);
        var reply = Driver.RunUntilCompleted(task, TimeSpan.FromSeconds(1));
        Assert.Equal(new Ping(3), reply);
    }

    [Fact]
    public void Ask_times_out_on_virtual_time_without_reading_the_clock()
    {
        var silent = Sys.ActorOf(Props.Create<CounterActor>(), "silent");
        var task = silent.Ask<int>("not-answered", TimeSpan.FromSeconds(5));
        var start = Driver.Now;
        Driver.RunUntil(() => task.IsCompleted, TimeSpan.FromMinutes(1));
        Assert.True(task.IsFaulted);
        Assert.IsType<AskTimeoutException>(task.Exception!.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(5), Driver.Now - start);
    }

    [Fact]
    public void Ask_with_a_reply_of_the_wrong_type_fails_with_InvalidCastException()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var task = echo.Ask<int>("text");
        Driver.RunUntil(() => task.IsCompleted, TimeSpan.FromSeconds(1));
        Assert.IsType<InvalidCastException>(task.Exception!.InnerException);
    }

    [Fact]
    public void Ask_reply_is_a_delivery_step_to_a_temp_path()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var task = echo.Ask<Ping>(new Ping(1));
        long before = Driver.StepCount;
        Driver.RunUntilCompleted(task, TimeSpan.FromSeconds(1));
        Assert.Equal(2, Driver.StepCount - before);
    }
}
