using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Domain;

/// <summary>Names the world gives its actors, and the VA walk the invariants use.</summary>
public sealed class ActorNamesSpec
{
    [Theory]
    [InlineData("close", "ctx-2-close")]
    [InlineData("vm.bind_queue-1", "ctx-2-vm.bind_queue-1")]
    [InlineData("ioctl thread/2 (A)", "ctx-2-ioctl_thread_2__A_")]
    [InlineData("ünïcode", "ctx-2-_n_code")]
    public void A_scenario_name_becomes_a_valid_actor_name_keeping_its_safe_characters(string scenarioName, string actorName) =>
        Assert.Equal(actorName, LockScriptWorld.ActorNameOf("ctx", 2, scenarioName));

    [Fact]
    public void The_VA_walk_yields_every_VA_in_address_order_with_or_without_the_kernel_node_and_tolerates_changes()
    {
        var vm = new GpuVm(new VmId(1), 0x1000, 0x100000, reserveOffset: 0x1000, reserveRange: 0x1000);
        foreach (var addr in new ulong[] { 0x8000, 0x3000, 0x5000 })
            Assert.Equal(0, vm.Insert(new VaInit(addr, 0x1000, null, 0)).Errno);

        Assert.Equal([0x3000UL, 0x5000, 0x8000], vm.Vas().Select(v => v.Addr));
        Assert.Equal([0x1000UL, 0x3000, 0x5000, 0x8000], vm.Vas(includeKernelNode: true).Select(v => v.Addr));
        var seen = new List<ulong>();
        foreach (var va in vm.Vas())
        {
            seen.Add(va.Addr);
            if (va.Addr == 0x3000)
                vm.Insert(new VaInit(0x4000, 0x1000, null, 0)); // after the current VA: the walk reaches it
        }
        Assert.Equal([0x3000UL, 0x4000, 0x5000, 0x8000], seen);
    }
}
