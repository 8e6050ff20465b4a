namespace Gpuvmsim.Runtime.Deterministic;

public sealed partial class DeterministicDriver
{
    /// <summary>
    /// A hash of the whole system state, for pruning an exhaustive search; two states with equal hashes are treated
    /// as the same. It combines, in this order: every live actor in id order (its id, status, behavior-stack depth, its
    /// <see cref="IStateHashable.AddState"/> and its stash); every non-empty channel in (receiver, sender, kind) order
    /// with its queued messages (via <see cref="StateHasher.Add(object)"/>); and the live timers in firing order as
    /// (due − now, interval, receiver, message). The step count, virtual time itself and the trace are not part of it.
    /// </summary>
    /// <param name="addMessage">How a queued message joins the hash (default <see cref="StateHasher.Add(object)"/>): a
    /// world whose messages carry values that only compare among themselves can hash them by what they stand for.</param>
    /// <returns>Null when some live actor is not <see cref="IStateHashable"/> (its state cannot be seen).</returns>
    public ulong? ComputeStateHash(MessageHasher? addMessage = null)
    {
        addMessage ??= static (ref StateHasher h, object? message) => h.Add(message);
        DrainInbox();
        var h = new StateHasher();
        foreach (var cell in _system.LiveCellsInIdOrder())
        {
            h.Add(cell.SelfRef.Id);
            h.Add(cell.IsUserBlocked);
            h.Add(cell.BehaviorDepth);
            switch (cell.Actor)
            {
                case IStateHashable hashable:
                    hashable.AddState(ref h);
                    break;
                case null:
                    h.Add(-2L);
                    break;
                default:
                    return null;
            }
            if (cell.StashOrNull is { Count: > 0 } stash)
            {
                h.Add(stash.Count);
                foreach (var e in stash.Items)
                {
                    h.Add(e.Sender);
                    addMessage(ref h, e.Message);
                }
            }
        }

        var channels = new List<Channel>();
        foreach (var queues in _allQueues)
            foreach (var channel in queues.Channels)
                if (channel.Count > 0) channels.Add(channel);
        channels.Sort(static (a, b) =>
        {
            int byReceiver = a.Target.Receiver.Id.CompareTo(b.Target.Receiver.Id);
            if (byReceiver != 0) return byReceiver;
            int bySender = a.SenderId.CompareTo(b.SenderId);
            return bySender != 0 ? bySender : a.IsSystem.CompareTo(b.IsSystem);
        });
        h.Add(channels.Count);
        foreach (var channel in channels)
        {
            h.Add(channel.Target.Receiver.Id);
            h.Add(channel.SenderId);
            h.Add(channel.IsSystem);
            h.Add(channel.Count);
            foreach (var e in channel.Items()) addMessage(ref h, e.Message);
        }

        var timers = LiveTimers();
        h.Add(timers.Count);
        foreach (var timer in timers)
        {
            h.Add(timer.DueTicks - _nowTicks);
            h.Add(timer.IntervalTicks);
            h.Add(timer.Receiver);
            addMessage(ref h, timer.Message);
        }
        return h.Value;
    }
}
