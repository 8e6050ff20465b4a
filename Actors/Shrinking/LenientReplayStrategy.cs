using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// Follows a <see cref="ScheduleGuide"/> as far as the run allows, and never diverges: at each delivery the earliest
/// unused guide delivery whose channel is enabled is made; when none is, the oldest message goes first (fifo). Guide
/// values are used in order (a value out of range, or past the guide's end, becomes 0). With a run's own full guide
/// it replays that run exactly; with a partial guide or a smaller scenario it stays as close as it can.
/// One instance serves one run.
/// </summary>
internal sealed class LenientReplayStrategy : ExplorationStrategy
{
    private readonly (int Sender, int Receiver, bool System)[] deliveries;
    private readonly bool[] used;
    private readonly int[] values;
    private readonly Dictionary<string, int> codeOfName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> codeOfActor = [];
    private DeterministicDriver? driver;
    private int firstUnused;
    private int nextValue;

    public LenientReplayStrategy(ScheduleGuide guide)
    {
        deliveries = [.. guide.Choices.Where(c => c.IsDelivery)
            .Select(c => (Code(c.Sender), Code(c.Receiver), c.Kind == ScheduleChoiceKind.SystemDelivery))];
        used = new bool[deliveries.Length];
        values = [.. guide.Choices.Where(c => !c.IsDelivery).Select(c => c.Value)];
    }

    public override string Name => "lenient-replay";

    public override string Description => $"lenient-replay[choices:{deliveries.Length + values.Length}]";

    /// <summary>Binds the strategy to the run's driver, which names the actors of the candidates.</summary>
    public void Attach(DeterministicDriver runDriver) => driver = runDriver;

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        for (var g = firstUnused; g < deliveries.Length; g++)
        {
            if (used[g])
                continue;
            var (sender, receiver, system) = deliveries[g];
            for (var i = 0; i < enabled.Length; i++)
            {
                if (enabled[i].IsSystem == system && CodeOfActor(enabled[i].ReceiverId) == receiver && CodeOfActor(enabled[i].SenderId) == sender)
                {
                    used[g] = true;
                    while (firstUnused < used.Length && used[firstUnused])
                        firstUnused++;
                    return i;
                }
            }
        }
        return FifoStrategy.Oldest(enabled);
    }

    protected override int ChooseValue(int count, long step)
    {
        if (nextValue >= values.Length)
            return 0;
        var value = values[nextValue++];
        return value < count ? value : 0;
    }

    /// <summary>Names become small integers once, so matching a candidate is integer compares.</summary>
    private int Code(string name)
    {
        if (!codeOfName.TryGetValue(name, out var code))
            codeOfName[name] = code = codeOfName.Count;
        return code;
    }

    /// <summary>The code of an actor's path; -1 for an actor no guide choice names.</summary>
    private int CodeOfActor(int id)
    {
        if (!codeOfActor.TryGetValue(id, out var code))
        {
            var d = driver ?? throw new InvalidOperationException("a lenient replay needs Attach(driver) before its first delivery");
            codeOfActor[id] = code = codeOfName.GetValueOrDefault(ScheduleGuide.ActorPathOf(d, id), -1);
        }
        return code;
    }
}
