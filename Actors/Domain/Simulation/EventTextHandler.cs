using System.Runtime.CompilerServices;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Formats the text of <see cref="RunMonitor.Event(string, ref EventTextHandler)"/> only when the run records its
/// interleaving: an exploration runs thousands of schedules that never show theirs, and would otherwise format a
/// line at every lock and step for nothing.
/// </summary>
[InterpolatedStringHandler]
public ref struct EventTextHandler
{
    private DefaultInterpolatedStringHandler text;

    public EventTextHandler(int literalLength, int formattedCount, RunMonitor monitor, out bool recording)
    {
        recording = monitor.RecordsEvents;
        text = recording ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted(string? value) => text.AppendFormatted(value);

    internal string ToStringAndClear() => text.ToStringAndClear();
}
