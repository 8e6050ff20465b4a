using System.Text;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The canonical text of a trace: one line per delivery, each ending in <c>\n</c>:
/// <code>{step} @{ticks} {sender path} -> {receiver path}: {message}</code>
/// e.g. <c>12 @0 /user/ping -> /user/pong: Ping { N = 3 }</c>. The step is 0-based, ticks are virtual 100 ns ticks since
/// the epoch, paths have no address (so the system name does not matter; no sender is <c>/deadLetters</c>), the message
/// is its <c>ToString()</c> with <c>\</c>, CR and LF escaped as <c>\\</c>, <c>\r</c>, <c>\n</c>; system messages read like
/// <c>&lt;Terminate&gt;</c>. Message texts must themselves be deterministic (no hash codes or addresses).
/// </summary>
public static class TraceFormatter
{
    public static string Format(DeliveryTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var sb = new StringBuilder(trace.Count * 48);
        for (int i = 0; i < trace.Count; i++) AppendLine(sb, trace[i]);
        return sb.ToString();
    }

    /// <summary>One line, without the final newline.</summary>
    public static string FormatLine(in DeliveryRecord record)
    {
        var sb = new StringBuilder(64);
        AppendLine(sb, record);
        sb.Length--;
        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, in DeliveryRecord r)
    {
        sb.Append(r.Step).Append(" @").Append(r.VirtualTicks).Append(' ')
          .Append(r.SenderPath).Append(" -> ").Append(r.ReceiverPath).Append(": ");
        foreach (char c in r.Message.ToString() ?? "")
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('\n');
    }
}
