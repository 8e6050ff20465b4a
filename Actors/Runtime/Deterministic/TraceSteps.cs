using System.Globalization;
using System.Text;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>Edits of a canonical trace text (see <see cref="TraceFormatter"/>) by step.</summary>
public static class TraceSteps
{
    /// <summary>
    /// The trace without the lines of <paramref name="steps"/>, the remaining lines renumbered from 0: what the run
    /// would have traced without those deliveries (e.g. the supervision traffic of an injected failure).
    /// </summary>
    public static string Without(string traceText, IReadOnlyCollection<long> steps)
    {
        ArgumentNullException.ThrowIfNull(traceText);
        if (steps.Count == 0)
            return traceText;
        var skip = steps.ToHashSet();
        var sb = new StringBuilder(traceText.Length);
        long step = 0, kept = 0;
        foreach (var line in traceText.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
                continue;
            if (!skip.Contains(step++))
            {
                var space = line.IndexOf(' ');
                sb.Append(kept++.ToString(CultureInfo.InvariantCulture)).Append(line[space..]).Append('\n');
            }
        }
        return sb.ToString();
    }
}
