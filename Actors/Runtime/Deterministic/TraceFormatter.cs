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

/// <summary>SHA-256 of the canonical trace text (UTF-8), as 64 lowercase hex digits: the <c>trace_sha256</c> of reports.</summary>
public static class TraceHash
{
    public static string Sha256(DeliveryTrace trace) => Sha256(TraceFormatter.Format(trace));

    public static string Sha256(string traceText)
    {
        ArgumentNullException.ThrowIfNull(traceText);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(traceText)));
    }
}

/// <summary>Where two traces first differ: the 0-based line (= step) and both lines (null where a trace has ended).</summary>
public sealed record TraceDivergence(long Step, string? LineA, string? LineB)
{
    public override string ToString() =>
        $"traces diverge at step {Step}:{Environment.NewLine}  a: {LineA ?? "(trace ended)"}{Environment.NewLine}  b: {LineB ?? "(trace ended)"}";
}

/// <summary>Compares traces line by line.</summary>
public static class TraceComparer
{
    /// <returns>The first difference, or null when the traces are identical.</returns>
    public static TraceDivergence? FirstDivergence(DeliveryTrace a, DeliveryTrace b) =>
        FirstDivergence(TraceFormatter.Format(a), TraceFormatter.Format(b));

    /// <returns>The first difference of two canonical texts, or null when they are identical.</returns>
    public static TraceDivergence? FirstDivergence(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a, b, StringComparison.Ordinal)) return null;
        var linesA = a.Split('\n');
        var linesB = b.Split('\n');
        int n = Math.Max(linesA.Length, linesB.Length);
        for (int i = 0; i < n; i++)
        {
            string? la = i < linesA.Length && (i < linesA.Length - 1 || linesA[i].Length > 0) ? linesA[i] : null;
            string? lb = i < linesB.Length && (i < linesB.Length - 1 || linesB[i].Length > 0) ? linesB[i] : null;
            if (!string.Equals(la, lb, StringComparison.Ordinal)) return new TraceDivergence(i, la, lb);
        }
        return null;
    }
}
