using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Domain.World;

/// <summary>Where a replay's world events first differ from the journal's: the delivery step, the actor's stream and
/// the event it recorded then against the one it produces now (null where one side has no event).</summary>
public sealed record WorldEventDivergence(long Step, string PersistenceId, long SequenceNr, WorldEvent? Recorded, WorldEvent? Replayed)
{
    public override string ToString() =>
        $"step {Step}: {PersistenceId} event #{SequenceNr} was {Recorded?.ToString() ?? "(none)"}, replay produced {Replayed?.ToString() ?? "(none)"}";
}

/// <summary>One world event as a run logged it: the actor's stream, its sequence number there, and the delivery step.</summary>
public readonly record struct LoggedWorldEvent(string PersistenceId, long SequenceNr, WorldEvent Event, long Step);

/// <summary>
/// The world events of one run, per persistence id, in the order they happened. Recording is optional (an
/// exploration keeps none; a journaled run or a replay keeps all): a restarted world actor recovers from its own
/// events here, so a run that may restart actors must record.
/// <para>
/// A replay of a bind journal passes the journal's events as <paramref name="recorded"/>: every new event is checked
/// against the recorded one at its position (the first mismatch is <see cref="Divergence"/>), and a restarted actor
/// recovers from the recorded events, as an Akka persistent actor recovers from its journal.
/// </para>
/// </summary>
public sealed class WorldEventLog(bool record, IReadOnlyDictionary<string, IReadOnlyList<WorldEvent>>? recorded = null)
{
    private readonly Dictionary<string, List<WorldEvent>> byActor = new(StringComparer.Ordinal);
    private readonly List<LoggedWorldEvent> all = [];

    public bool IsRecording { get; } = record || recorded is not null;

    /// <summary>Every event in the order it happened.</summary>
    public IReadOnlyList<LoggedWorldEvent> All => all;

    /// <summary>The first event that differs from the recorded run (null while the replay fits).</summary>
    public WorldEventDivergence? Divergence { get; private set; }

    public void Append(string persistenceId, long sequenceNr, WorldEvent e, long step)
    {
        if (!IsRecording)
            return;
        if (!byActor.TryGetValue(persistenceId, out var list))
            byActor[persistenceId] = list = [];
        list.Add(e);
        all.Add(new LoggedWorldEvent(persistenceId, sequenceNr, e, step));
        if (recorded is not null && Divergence is null)
        {
            var expected = recorded.TryGetValue(persistenceId, out var stream) && sequenceNr <= stream.Count ? stream[(int)sequenceNr - 1] : null;
            if (!Equals(expected, e))
                Divergence = new WorldEventDivergence(step, persistenceId, sequenceNr, expected, e);
        }
    }

    /// <summary>Checked at the end of a replay: a recorded event the replay never produced is a divergence too.</summary>
    public void CheckNothingMissing(long step)
    {
        if (recorded is null || Divergence is not null)
            return;
        foreach (var (persistenceId, stream) in recorded.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var produced = byActor.TryGetValue(persistenceId, out var list) ? list.Count : 0;
            if (produced < stream.Count)
            {
                Divergence = new WorldEventDivergence(step, persistenceId, produced + 1, stream[produced], null);
                return;
            }
        }
    }

    /// <summary>The events a restarted actor recovers from: the recorded ones while the replay fits, else its own.</summary>
    public IReadOnlyList<WorldEvent> EventsOf(string persistenceId)
    {
        var own = byActor.TryGetValue(persistenceId, out var list) ? list : (IReadOnlyList<WorldEvent>)[];
        if (recorded is not null && Divergence is null && recorded.TryGetValue(persistenceId, out var stream))
            return stream.Take(own.Count).ToList();
        return own;
    }
}
