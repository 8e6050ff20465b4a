namespace Gpuvmsim.Runtime.Deterministic;

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
