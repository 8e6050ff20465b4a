namespace Gpuvmsim.Runtime.Supervision;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; the failed message is dropped.</summary>
    Resume,

    /// <summary>Replace the instance (PreRestart, new instance, PostRestart); the failed message is dropped unless
    /// the strategy sets <see cref="SupervisorStrategy.RedeliverFailedMessage"/>.</summary>
    Restart,

    /// <summary>Stop the child.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so its own supervisor decides.</summary>
    Escalate,
}
