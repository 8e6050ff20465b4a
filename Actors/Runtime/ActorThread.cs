using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Runtime;

/// <summary>
/// What the runtime keeps per thread: the cell whose turn is running (the implicit sender of <c>Tell(msg)</c>), the
/// cell whose actor is being constructed, and the ambient sender outside any actor (the test kit's <c>TestActor</c>).
/// One object per thread behind a single thread-static: reading a thread-static costs a TLS lookup (a call on Linux),
/// so a mailbox turn looks this up once and then switches <see cref="Cell"/> with plain field stores, and the
/// deterministic driver, while it steps on this thread (<see cref="Driver"/>), stores nothing per delivery at all: it
/// answers "which cell is running" from its own record of the delivery in progress.
/// </summary>
internal sealed class ActorThread
{
    [ThreadStatic] private static ActorThread? t_thread;

    /// <summary>The cell whose turn is running on this thread, when set by the code running it (a mailbox turn, a
    /// system message, actor creation); null otherwise.</summary>
    public ActorCell? Cell;

    /// <summary>The deterministic driver stepping on this thread, if any.</summary>
    public DeterministicDriver? Driver;

    /// <summary>The cell whose actor instance is being built (read once by the <c>ActorBase</c> constructor).</summary>
    public ActorCell? Constructing;

    /// <summary>The implicit sender of <c>Tell(msg)</c> outside any actor.</summary>
    public IActorRef? AmbientSender;

    /// <summary><see cref="Environment.CurrentManagedThreadId"/> of the owning thread.</summary>
    public readonly int ManagedThreadId = Environment.CurrentManagedThreadId;

    /// <summary>This thread's state, created on first use.</summary>
    public static ActorThread Current => t_thread ??= new ActorThread();

    /// <summary>This thread's state if it was ever created (a reader that finds null knows every field is null).</summary>
    public static ActorThread? CurrentOrNull => t_thread;

    /// <summary>The cell whose turn is running on this thread: the one set explicitly, else the one the stepping
    /// driver is delivering to.</summary>
    public ActorCell? RunningCell => Cell ?? Driver?.DeliveringCell;
}
