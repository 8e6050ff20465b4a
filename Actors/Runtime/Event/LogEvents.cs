namespace Gpuvmsim.Runtime.Event;

/// <summary>Log levels, lowest first.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,

    /// <summary>Only as a setting (<c>akka.loglevel = OFF</c>): nothing is published.</summary>
    Off,
}

/// <summary>A log line published on the event stream (subscribe to <c>typeof(LogEvent)</c> for all of them).</summary>
public abstract class LogEvent
{
    protected LogEvent(string logSource, Type logClass, string message)
    {
        LogSource = logSource;
        LogClass = logClass;
        Message = message;
    }

    /// <summary>Who logged: an actor path or a component name.</summary>
    public string LogSource { get; }

    public Type LogClass { get; }

    public string Message { get; }

    /// <summary>The system clock at publication (virtual in deterministic mode).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The exception attached, if any.</summary>
    public Exception? Cause { get; init; }

    public abstract LogLevel Level { get; }

    public override string ToString() =>
        $"[{Level.ToString().ToUpperInvariant()}][{Timestamp:O}][{LogSource}] {Message}{(Cause is null ? "" : Environment.NewLine + Cause)}";
}

public sealed class Debug(string logSource, Type logClass, string message) : LogEvent(logSource, logClass, message)
{
    public override LogLevel Level => LogLevel.Debug;
}

public sealed class Info(string logSource, Type logClass, string message) : LogEvent(logSource, logClass, message)
{
    public override LogLevel Level => LogLevel.Info;
}

public sealed class Warning(string logSource, Type logClass, string message) : LogEvent(logSource, logClass, message)
{
    public override LogLevel Level => LogLevel.Warning;
}

/// <summary>An error; actor failures handled by a supervisor are published as this with the exception as <see cref="LogEvent.Cause"/>.</summary>
public sealed class Error : LogEvent
{
    public Error(Exception? cause, string logSource, Type logClass, string message) : base(logSource, logClass, message) => Cause = cause;

    public override LogLevel Level => LogLevel.Error;
}
