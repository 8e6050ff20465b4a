using System.Globalization;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>One line of a canonical trace: <c>{step} @{ticks} {sender} -> {receiver}: {message}</c>.</summary>
/// <param name="Step">The 0-based delivery step.</param>
/// <param name="VirtualTicks">Virtual time in 100 ns ticks.</param>
/// <param name="Message">The message text as traced (escapes kept).</param>
public sealed record TraceDelivery(long Step, long VirtualTicks, string Sender, string Receiver, string Message)
{
    /// <summary>The message's type: its text up to the first space or brace (<c>AcquireLock</c>, <c>&lt;Terminate&gt;</c>).</summary>
    public string MessageType
    {
        get
        {
            var end = Message.IndexOfAny([' ', '{']);
            return end < 0 ? Message : Message[..end];
        }
    }

    /// <summary>The value of field <paramref name="name"/> in a record's text (<c>Lock = L4</c> gives <c>L4</c>), or null.</summary>
    public string? Field(string name)
    {
        var key = name + " = ";
        var at = Message.IndexOf(" " + key, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var start = at + 1 + key.Length;
        var end = Message.IndexOfAny([',', ' ', '}'], start);
        return end < 0 ? Message[start..] : Message[start..end];
    }

    /// <summary>The line as the trace holds it.</summary>
    public override string ToString() => $"{Step} @{VirtualTicks} {Sender} -> {Receiver}: {Message}";

    /// <summary>Every line of a canonical trace text.</summary>
    /// <exception cref="InputException">A line is not shaped like a trace line (the journal is damaged).</exception>
    public static IReadOnlyList<TraceDelivery> ParseAll(string trace) =>
        [.. trace.Split('\n').Where(line => line.Length > 0).Select(Parse)];

    /// <exception cref="InputException">The line is not shaped like a trace line.</exception>
    public static TraceDelivery Parse(string line)
    {
        var stepEnd = line.IndexOf(' ', StringComparison.Ordinal);
        var ticksEnd = stepEnd < 0 ? -1 : line.IndexOf(' ', stepEnd + 1);
        var arrow = ticksEnd < 0 ? -1 : line.IndexOf(" -> ", ticksEnd, StringComparison.Ordinal);
        var colon = arrow < 0 ? -1 : line.IndexOf(": ", arrow + 4, StringComparison.Ordinal);
        if (colon < 0 || line[stepEnd + 1] != '@' ||
            !long.TryParse(line.AsSpan(0, stepEnd), NumberStyles.None, CultureInfo.InvariantCulture, out var step) ||
            !long.TryParse(line.AsSpan(stepEnd + 2, ticksEnd - stepEnd - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            throw new InputException($"not a trace line: '{line}'");
        return new TraceDelivery(step, ticks, line[(ticksEnd + 1)..arrow], line[(arrow + 4)..colon], line[(colon + 2)..]);
    }

    /// <summary>The last segment of an actor path (<c>/user/world/ctx-0-T2</c> gives <c>ctx-0-T2</c>).</summary>
    public static string ActorName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
