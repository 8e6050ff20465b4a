namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>
/// One enabled delivery: the head of the FIFO channel from <see cref="SenderId"/> to <see cref="ReceiverId"/>
/// (user and system messages travel in separate channels). Ids are the dense actor ids of the system; 0 means
/// "no sender". A strategy picks one candidate per step by its index.
/// </summary>
public struct DeliveryCandidate
{
    public DeliveryCandidate(int senderId, int receiverId, bool isSystem, long headSequence)
    {
        SenderId = senderId;
        ReceiverId = receiverId;
        IsSystem = isSystem;
        HeadSequence = headSequence;
    }

    public int SenderId { get; }

    public int ReceiverId { get; }

    /// <summary>True for a runtime system message (stop, watch, failure, restart…), false for a user message.</summary>
    public bool IsSystem { get; }

    /// <summary>Global enqueue order of the head message (smaller is older; negative for re-queued stashed messages).</summary>
    public long HeadSequence { get; internal set; }

    public override readonly string ToString() => $"{SenderId}->{ReceiverId}{(IsSystem ? " (system)" : "")}";
}
