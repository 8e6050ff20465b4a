using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Runtime.Supervision;

/// <summary>
/// How a parent handles a failed child: a decider maps the exception to a <see cref="Directive"/>, and the concrete
/// strategy applies Restart/Stop to the failed child only (<see cref="OneForOneStrategy"/>) or to all children
/// (<see cref="AllForOneStrategy"/>). A restart needs permission from the retry budget
/// (<see cref="MaxNrOfRetries"/> within <see cref="WithinTimeRange"/>, measured on the system clock — virtual in
/// deterministic mode); without it the child is stopped.
/// </summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange is { } w && (w <= TimeSpan.Zero || w == Timeout.InfiniteTimeSpan) ? null : withinTimeRange;
        Decider = decider;
    }

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>: what every actor uses unless told otherwise.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>A one-for-one strategy that stops the failed child whatever the exception.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Stop for <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
    /// <see cref="DeathPactException"/>; Restart for everything else.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Restarts allowed per child within <see cref="WithinTimeRange"/>; negative is unlimited, 0 is none.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window over which restarts are counted; null means the whole life of the child.</summary>
    public TimeSpan? WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>Publish an <see cref="Error"/> (Warning for Resume) on the event stream for each handled failure.</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>
    /// Hook for a replay supervisor: with <see cref="Directive.Restart"/>, the message whose processing failed is handed
    /// to the fresh instance first, right after <c>PostRestart</c> and inside the same delivery as the restart itself,
    /// so a trace gains no extra step and no other message can come between. Senders see no difference.
    /// Ignored for Resume/Stop and for siblings restarted by <see cref="AllForOneStrategy"/> (they did not fail).
    /// </summary>
    public bool RedeliverFailedMessage { get; init; }

    /// <summary>Maps the exception to a directive (Escalate when the decider throws).</summary>
    public Directive Decide(Exception cause)
    {
        try
        {
            return Decider(cause);
        }
        catch (Exception)
        {
            return Directive.Escalate;
        }
    }

    /// <summary>Applies Restart (<paramref name="restart"/> true) or Stop after the decider chose one of them.</summary>
    internal abstract void ProcessFailure(ActorCell parent, bool restart, ActorCell child, Exception cause);

    internal void LogFailure(ActorSystem system, IActorRef child, Exception cause, Directive directive)
    {
        if (!LoggingEnabled || directive == Directive.Escalate) return;
        var source = child.Path.ToString();
        var type = (child as LocalActorRef)?.Cell.PropsValue.ActorType ?? typeof(ActorBase);
        var now = system.Scheduler.Now;
        if (directive == Directive.Resume)
            system.PublishLog(new Warning(source, type, $"{cause.GetType().Name}: {cause.Message} (resumed)") { Cause = cause, Timestamp = now });
        else
            system.PublishLog(new Error(cause, source, type, $"{cause.GetType().Name}: {cause.Message} ({directive.ToString().ToLowerInvariant()})") { Timestamp = now });
    }
}

/// <summary>Restart or stop only the child that failed.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <param name="maxNrOfRetries">Restarts allowed within <paramref name="withinTimeRange"/> (negative: unlimited).</param>
    /// <param name="withinTimeRange">The counting window (null or infinite: the child's whole life).</param>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>Unlimited restarts with <paramref name="decider"/>.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    internal override void ProcessFailure(ActorCell parent, bool restart, ActorCell child, Exception cause)
    {
        if (restart && parent.StatsFor(child).RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, parent.SystemImpl.Scheduler.Now))
            parent.RestartChild(child, cause, suspendFirst: false, RedeliverFailedMessage);
        else
            parent.Stop(child.SelfRef);
    }
}

/// <summary>Restart or stop all children when one fails (siblings are suspended, then restarted).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <param name="maxNrOfRetries">Restarts allowed per child within <paramref name="withinTimeRange"/> (negative: unlimited).</param>
    /// <param name="withinTimeRange">The counting window (null or infinite: the children's whole life).</param>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <summary>Unlimited restarts with <paramref name="decider"/>.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    internal override void ProcessFailure(ActorCell parent, bool restart, ActorCell child, Exception cause)
    {
        var children = parent.ChildCells.Where(c => !c.IsTerminating).ToArray();
        var now = parent.SystemImpl.Scheduler.Now;
        bool permitted = restart;
        if (restart)
            foreach (var c in children)
                permitted &= parent.StatsFor(c).RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, now);
        foreach (var c in children)
        {
            if (permitted) parent.RestartChild(c, cause, suspendFirst: !ReferenceEquals(c, child), RedeliverFailedMessage && ReferenceEquals(c, child));
            else parent.Stop(c.SelfRef);
        }
    }
}
