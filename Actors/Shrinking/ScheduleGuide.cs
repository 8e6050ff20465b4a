using System.Text.RegularExpressions;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// One choice of a run, named by what it means rather than by actor ids: a delivery on the channel between two actor
/// paths (<c>/user/world/ctx-T1</c> → <c>/user/world/vm-V</c>), or a value. Ids are dense counters that shift as soon as a
/// scenario loses a context or an object; paths stay, so a guide still fits a smaller scenario.
/// </summary>
public readonly record struct GuideChoice(ScheduleChoiceKind Kind, string Sender, string Receiver, int Value)
{
    public bool IsDelivery => Kind != ScheduleChoiceKind.Value;

    public override string ToString() => IsDelivery ? $"{Sender}->{Receiver}{(Kind == ScheduleChoiceKind.SystemDelivery ? " (system)" : "")}" : $"value {Value}";
}

/// <summary>
/// The choices that steer a lenient replay (<see cref="LenientReplayStrategy"/>): all of a run's choices, or the few
/// that schedule reduction found decisive. Immutable.
/// </summary>
public sealed partial class ScheduleGuide(IReadOnlyList<GuideChoice> choices)
{
    public static ScheduleGuide Empty { get; } = new([]);

    public IReadOnlyList<GuideChoice> Choices { get; } = choices;

    public int Count => Choices.Count;

    /// <summary>Names every choice of <paramref name="schedule"/>, a run of <paramref name="driver"/>'s system.</summary>
    internal static ScheduleGuide Of(Schedule schedule, DeterministicDriver driver)
    {
        var names = new Dictionary<int, string>();
        string Name(int id)
        {
            if (!names.TryGetValue(id, out var name))
                names[id] = name = ActorPathOf(driver, id);
            return name;
        }
        return new ScheduleGuide([.. schedule.Choices.Select(c => c.IsDelivery
            ? new GuideChoice(c.Kind, Name(c.SenderId), Name(c.ReceiverId), 0)
            : new GuideChoice(c.Kind, "", "", c.Value))]);
    }

    /// <summary>
    /// The path of actor <paramref name="id"/>, stopped or not (<c>/deadLetters</c> for no sender), without the
    /// declaration index that world actor names carry (<c>ctx-1-T1</c> is <c>ctx-T1</c>): removing an earlier context or
    /// BO must not rename the others.
    /// </summary>
    internal static string ActorPathOf(DeterministicDriver driver, int id) =>
        DeclarationIndex().Replace(driver.System.RefByIdForTrace(id).Path.ToStringWithoutAddress(), "/$1-");

    /// <summary>The <c>-index-</c> of <c>LockScriptWorld.ActorNameOf</c>'s <c>prefix-index-name</c>.</summary>
    [GeneratedRegex(@"/([a-z]+)-[0-9]+-")]
    private static partial Regex DeclarationIndex();
}
