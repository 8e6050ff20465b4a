namespace Gpuvmsim.Runtime;

/// <summary>
/// A handle to an actor: the only way to talk to it. Refs are cheap, immutable and safe to share between
/// threads; two refs are equal when they name the same actor incarnation (same path, same id).
/// </summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>, IComparable
{
    /// <summary>Where the actor lives, e.g. <c>gpuvmsim://sys/user/vm</c>.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Sends <paramref name="message"/> fire-and-forget. Never blocks and may be called from any thread.
    /// On the deterministic dispatcher nothing is delivered until the driver steps. A message to a stopped
    /// actor becomes a <see cref="Event.DeadLetter"/> on the event stream.
    /// </summary>
    /// <param name="sender">The reply address seen by the receiver as <c>Sender</c>; null means no sender
    /// (the receiver then sees the system's dead-letters ref).</param>
    void Tell(object message, IActorRef? sender);
}

/// <summary>Well-known refs, as in Akka.NET.</summary>
public static class ActorRefs
{
    /// <summary>A ref that silently drops everything; what <c>Context.Child(name)</c> returns for a missing child.</summary>
    public static IActorRef Nobody { get; } = new NobodyRef();

    /// <summary>"No sender": pass it as <c>sender</c> when a message has no reply address.</summary>
    public static readonly IActorRef? NoSender = null;

    private sealed class NobodyRef : IActorRef
    {
        private static readonly ActorPath NobodyPath = ActorPath.Root("all-systems").Child("Nobody");

        public ActorPath Path => NobodyPath;

        public void Tell(object message, IActorRef? sender) { }

        public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => 0x0b0d1;

        public int CompareTo(IActorRef? other) => ActorRefComparer.Compare(this, other);

        public int CompareTo(object? obj) => ActorRefComparer.Compare(this, obj as IActorRef);

        public override string ToString() => "Nobody";
    }
}

/// <summary>Ordering of refs: by path text, then by id; null sorts first.</summary>
internal static class ActorRefComparer
{
    public static int Compare(IActorRef? a, IActorRef? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        int byPath = a.Path.CompareTo(b.Path);
        if (byPath != 0) return byPath;
        int ia = (a as InternalActorRef)?.Id ?? -1;
        int ib = (b as InternalActorRef)?.Id ?? -1;
        return ia.CompareTo(ib);
    }
}

/// <summary>A public object standing for a runtime ref (a test probe, a <c>TestActorRef</c>); the runtime uses
/// <see cref="Underlying"/> whenever it is passed as a sender.</summary>
internal interface IWrappedActorRef
{
    IActorRef Underlying { get; }
}

internal static class ActorRefUnwrap
{
    /// <summary>The runtime ref behind a wrapper (test probe, TestActorRef), or the ref itself.</summary>
    public static IActorRef Unwrap(this IActorRef actor) => actor is IWrappedActorRef w ? w.Underlying : actor;
}
