namespace Gpuvmsim.Runtime.Event;

/// <summary>Akka's logging facade: each call publishes a <see cref="LogEvent"/> on the event stream when its level is
/// enabled (<see cref="ActorSystemSettings.LogLevel"/>). Thread-safe.</summary>
public interface ILoggingAdapter
{
    bool IsEnabled(LogLevel level);

    void Debug(string format, params object?[] args);

    void Info(string format, params object?[] args);

    void Warning(string format, params object?[] args);

    void Error(string format, params object?[] args);

    void Error(Exception cause, string format, params object?[] args);
}

internal sealed class LoggingAdapter(ActorSystem system, string source, Type logClass) : ILoggingAdapter
{
    public bool IsEnabled(LogLevel level) => level >= system.Settings.LogLevel;

    public void Debug(string format, params object?[] args) => Publish(LogLevel.Debug, null, format, args);

    public void Info(string format, params object?[] args) => Publish(LogLevel.Info, null, format, args);

    public void Warning(string format, params object?[] args) => Publish(LogLevel.Warning, null, format, args);

    public void Error(string format, params object?[] args) => Publish(LogLevel.Error, null, format, args);

    public void Error(Exception cause, string format, params object?[] args) => Publish(LogLevel.Error, cause, format, args);

    private void Publish(LogLevel level, Exception? cause, string format, object?[] args)
    {
        if (!IsEnabled(level)) return;
        var text = args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
        var now = system.Scheduler.Now;
        LogEvent e = level switch
        {
            LogLevel.Debug => new Debug(source, logClass, text) { Timestamp = now, Cause = cause },
            LogLevel.Info => new Info(source, logClass, text) { Timestamp = now, Cause = cause },
            LogLevel.Warning => new Warning(source, logClass, text) { Timestamp = now, Cause = cause },
            _ => new Error(cause, source, logClass, text) { Timestamp = now },
        };
        system.PublishLog(e);
    }
}

/// <summary><c>Context.GetLogger()</c>, as in Akka.</summary>
public static class LoggingExtensions
{
    /// <summary>A logger whose source is this actor's path.</summary>
    public static ILoggingAdapter GetLogger(this IActorContext context) =>
        new LoggingAdapter(context.System, context.Self.Path.ToString(), (context as ActorCell)?.PropsValue.ActorType ?? typeof(ActorBase));
}
