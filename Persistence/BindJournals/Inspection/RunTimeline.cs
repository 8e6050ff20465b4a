using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>One event of a run's timeline: a delivery of its trace, or a world actor's journaled event.</summary>
/// <param name="Step">The 0-based trace step (null for a world event whose step could not be recovered).</param>
public abstract record TimelineEntry(long? Step);

public sealed record DeliveryEntry(TraceDelivery Delivery) : TimelineEntry(Delivery.Step);

/// <param name="Actor">The world actor (<c>vm/V</c>); its stream is <c>bind/{id}/{actor}</c>.</param>
public sealed record WorldEventEntry(long? Step, string Actor, long SequenceNr, WorldEvent Event) : TimelineEntry(Step)
{
    public string Manifest => BindJournalEvents.ManifestOf(Event.GetType());
}

/// <summary>A context held a lock from the delivery that handed it over until its release reached the lock's owner.</summary>
/// <param name="Holder">The holder's actor path.</param>
/// <param name="Lock">The lock's id as the trace names it (<c>L4</c>).</param>
/// <param name="ToStep">The step whose delivery released it (the run's step count when it was still held at the end).</param>
public sealed record LockHold(string Holder, string Lock, long FromStep, long ToStep, bool HeldAtEnd);

/// <summary>A stored run laid out in step order: its deliveries, world events and lock holds.</summary>
public sealed record RunTimeline(StoredRun Stored, RunAnalysis Analysis, IReadOnlyList<TraceDelivery> Deliveries, IReadOnlyList<TimelineEntry> Entries, IReadOnlyList<LockHold> Holds)
{
    public BindRunRecorded Header => Stored.Header;

    /// <summary>The name of lock <paramref name="id"/> (<c>V.op_lock</c>), or the id itself when unknown.</summary>
    public string LockName(string id) => Analysis.Locks.TryGetValue(id, out var label) ? label.Name : id;

    /// <exception cref="InputException">The stored trace is damaged.</exception>
    public static RunTimeline Of(StoredRun stored, RunAnalysis analysis)
    {
        var deliveries = TraceDelivery.ParseAll(stored.Trace);
        return new RunTimeline(stored, analysis, deliveries, EntriesOf(stored, deliveries, analysis), HoldsOf(stored, deliveries, analysis));
    }

    /// <summary>Each delivery followed by the world events it caused; without their steps, the world events come last, per actor.</summary>
    private static List<TimelineEntry> EntriesOf(StoredRun stored, IReadOnlyList<TraceDelivery> deliveries, RunAnalysis analysis)
    {
        var worldEvents = stored.WorldEvents.OrderBy(s => s.Key, StringComparer.Ordinal)
            .SelectMany(s => s.Value.Select((e, i) => new WorldEventEntry(
                analysis.WorldEventSteps?.GetValueOrDefault((s.Key, i + 1L)), s.Key, i + 1L, e)))
            .ToList();
        var entries = new List<TimelineEntry>(deliveries.Count + worldEvents.Count);
        if (analysis.WorldEventSteps is null)
        {
            entries.AddRange(deliveries.Select(d => new DeliveryEntry(d)));
            entries.AddRange(worldEvents);
            return entries;
        }
        // Stable: within a step, each actor's events keep their sequence order.
        var byStep = worldEvents.OrderBy(e => e.Step ?? long.MaxValue).ToLookup(e => e.Step);
        foreach (var d in deliveries)
        {
            entries.Add(new DeliveryEntry(d));
            entries.AddRange(byStep[d.Step]);
        }
        var placed = deliveries.Select(d => (long?)d.Step).ToHashSet();
        entries.AddRange(byStep.Where(g => !placed.Contains(g.Key)).SelectMany(g => g));
        return entries;
    }

    /// <summary>
    /// Lock holds read off the trace: <c>LockGranted</c> delivered to a context (not for a wait on a work item) opens
    /// one, <c>ReleaseLock</c> delivered to the owner closes it. A lock a world actor assigned without a request
    /// (<see cref="LockAssigned"/>, the scheduler handing its work item to the worker) opens at that event's step.
    /// </summary>
    private static List<LockHold> HoldsOf(StoredRun stored, IReadOnlyList<TraceDelivery> deliveries, RunAnalysis analysis)
    {
        var contextPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in deliveries)
        {
            if (d.MessageType is "AcquireLock" or "ReleaseLock" && d.Field("Context") is { } context)
                contextPaths.TryAdd(context, d.Sender);
        }
        var requested = new Dictionary<(string Holder, string Lock), string>();
        var open = new Dictionary<(string Holder, string Lock), long>();
        var holds = new List<LockHold>();
        var assigned = AssignmentsByStep(stored, analysis, contextPaths);
        foreach (var d in deliveries)
        {
            foreach (var key in assigned[d.Step])
                open.TryAdd(key, d.Step);
            if (d.Field("Lock") is not { } lockId)
                continue;
            switch (d.MessageType)
            {
                case "AcquireLock":
                    requested[(d.Sender, lockId)] = d.Field("Mode") ?? "";
                    break;
                case "LockGranted" when requested.GetValueOrDefault((d.Receiver, lockId)) != "WaitForRelease":
                    open.TryAdd((d.Receiver, lockId), d.Step);
                    break;
                case "ReleaseLock" when open.Remove((d.Sender, lockId), out var from):
                    holds.Add(new LockHold(d.Sender, lockId, from, d.Step, false));
                    break;
            }
        }
        var end = deliveries.Count == 0 ? 0 : deliveries[^1].Step + 1;
        holds.AddRange(open.Select(o => new LockHold(o.Key.Holder, o.Key.Lock, o.Value, end, true)));
        return [.. holds.OrderBy(h => h.FromStep).ThenByDescending(h => h.ToStep).ThenBy(h => h.Holder, StringComparer.Ordinal)];
    }

    private static ILookup<long, (string Holder, string Lock)> AssignmentsByStep(
        StoredRun stored, RunAnalysis analysis, Dictionary<string, string> contextPaths)
    {
        var assignments = new List<(long Step, (string Holder, string Lock) Key)>();
        foreach (var (actor, events) in stored.WorldEvents)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is LockAssigned assigned &&
                    analysis.WorldEventSteps?.TryGetValue((actor, i + 1L), out var step) == true &&
                    contextPaths.TryGetValue(assigned.To.ToString(), out var holder))
                    assignments.Add((step, (holder, assigned.Lock.ToString())));
            }
        }
        return assignments.ToLookup(a => a.Step, a => a.Key);
    }
}
