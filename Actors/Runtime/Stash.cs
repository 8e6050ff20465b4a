using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>Marks an actor that gets a stash; the runtime sets <see cref="Stash"/> before the constructor's caller
/// sees the instance (use it from <c>PreStart</c> on, not in the constructor).</summary>
public interface IWithUnboundedStash
{
    IStash Stash { get; set; }
}

/// <summary>
/// Messages set aside to be processed later. Unstashed messages go back to the front of the mailbox, ahead of newer
/// ones, each sender's messages staying in their original order. On restart the stash is emptied back into the mailbox;
/// on stop into dead letters. Use only on the actor's own turn.
/// </summary>
public interface IStash
{
    /// <summary>Sets aside the message being processed.</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts every stashed message back, in stash order, ahead of everything queued.</summary>
    void UnstashAll();

    /// <summary>Puts back the stashed messages matching <paramref name="predicate"/> (in stash order); the others stay.</summary>
    void UnstashAll(Func<object, bool> predicate);

    /// <summary>Removes and returns everything stashed (message, sender), without re-queueing.</summary>
    IReadOnlyList<(object Message, IActorRef Sender)> ClearStash();

    int Count { get; }
}

internal sealed class StashImpl(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    internal IReadOnlyList<Envelope> Items => _stashed;

    public void Stash()
    {
        var message = cell.CurrentMessageForStash
            ?? throw new InvalidOperationException("Stash() can only be called while processing a message.");
        _stashed.Add(new Envelope(message, cell.Sender, 0));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0) return;
        var envelope = _stashed[0];
        _stashed.RemoveAt(0);
        cell.DispatcherImpl.PushFront(cell, [envelope]);
    }

    public void UnstashAll() => UnstashAll(static _ => true);

    public void UnstashAll(Func<object, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (_stashed.Count == 0) return;
        var selected = new List<Envelope>();
        _stashed.RemoveAll(e =>
        {
            if (!predicate(e.Message)) return false;
            selected.Add(e);
            return true;
        });
        if (selected.Count > 0) cell.DispatcherImpl.PushFront(cell, selected);
    }

    public IReadOnlyList<(object Message, IActorRef Sender)> ClearStash()
    {
        var result = _stashed.Select(e => (e.Message, e.Sender)).ToList();
        _stashed.Clear();
        return result;
    }

    internal void UnstashAllToMailbox() => UnstashAll();

    internal void DrainToDeadLetters()
    {
        foreach (var e in _stashed) cell.SystemImpl.PublishDeadLetter(e.Message, e.Sender, cell.SelfRef);
        _stashed.Clear();
    }
}
