namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>Delivers the oldest enqueued message first, across all channels (values: always 0). One schedule only;
/// the natural order a single-threaded Akka test expects.</summary>
public sealed class FifoStrategy : ExplorationStrategy
{
    public const string StrategyName = "fifo";

    public override string Name => StrategyName;

    public override string Description => StrategyName;

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step) => Oldest(enabled);

    /// <summary>The candidate whose head message was sent first.</summary>
    public static int Oldest(ReadOnlySpan<DeliveryCandidate> enabled)
    {
        int best = 0;
        long oldest = enabled[0].HeadSequence;
        for (int i = 1; i < enabled.Length; i++)
        {
            long seq = enabled[i].HeadSequence;
            if (seq < oldest)
            {
                oldest = seq;
                best = i;
            }
        }
        return best;
    }

    protected override int ChooseValue(int count, long step) => 0;
}
