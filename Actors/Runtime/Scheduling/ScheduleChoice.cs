namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>The kind of one recorded choice.</summary>
public enum ScheduleChoiceKind : byte
{
    /// <summary>A user-message delivery on channel sender→receiver.</summary>
    Delivery = 0,

    /// <summary>A system-message delivery on channel sender→receiver.</summary>
    SystemDelivery = 1,

    /// <summary>A nondeterministic value (<c>ChooseValue</c>/<c>ChooseBool</c>).</summary>
    Value = 2,
}

/// <summary>One choice of a run: which channel delivered, or which value was picked.</summary>
public readonly record struct ScheduleChoice(ScheduleChoiceKind Kind, int SenderId, int ReceiverId, int Value)
{
    public static ScheduleChoice Delivery(int senderId, int receiverId, bool isSystem) =>
        new(isSystem ? ScheduleChoiceKind.SystemDelivery : ScheduleChoiceKind.Delivery, senderId, receiverId, 0);

    public static ScheduleChoice ForValue(int value) => new(ScheduleChoiceKind.Value, 0, 0, value);

    public bool IsDelivery => Kind != ScheduleChoiceKind.Value;

    /// <summary>True when this delivery choice names <paramref name="candidate"/>'s channel.</summary>
    public bool Matches(in DeliveryCandidate candidate) =>
        IsDelivery && candidate.SenderId == SenderId && candidate.ReceiverId == ReceiverId &&
        candidate.IsSystem == (Kind == ScheduleChoiceKind.SystemDelivery);

    public override string ToString() => Kind switch
    {
        ScheduleChoiceKind.Delivery => $"deliver {SenderId}->{ReceiverId}",
        ScheduleChoiceKind.SystemDelivery => $"deliver {SenderId}->{ReceiverId} (system)",
        _ => $"value {Value}",
    };
}
