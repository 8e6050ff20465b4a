using System.Text;
using Gpuvmsim.Domain.Simulation;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Renders a run's per-context events as a table with one column per context, in delivery order, so a
/// reader sees who did what while the others waited:
/// <code>
///  delivery | T1                          | T2
/// ----------+-----------------------------+-----------------------------
///         1 | step 1: lock A              |
///           | mutex_lock(A)               |
///         2 |                             | step 1: lock B
/// </code>
/// </summary>
public static class InterleavingTable
{
    public static string Render(IReadOnlyList<ContextEvent> events, int columnWidth = 38)
    {
        if (events.Count == 0)
            return "(no events recorded)\n";
        var contexts = events.Select(e => e.Context).Distinct().ToList();
        var w = new StringBuilder();
        w.Append(" delivery ");
        foreach (var c in contexts)
            w.Append("| ").Append(Fit(c, columnWidth)).Append(' ');
        w.AppendLine();
        w.Append("----------");
        foreach (var _ in contexts)
            w.Append('+').Append(new string('-', columnWidth + 2));
        w.AppendLine();
        long? lastStep = null;
        foreach (var e in events)
        {
            w.Append(lastStep == e.Step ? "          " : $"{e.Step,9} ");
            lastStep = e.Step;
            foreach (var c in contexts)
                w.Append("| ").Append(Fit(c == e.Context ? e.Text : "", columnWidth)).Append(' ');
            w.AppendLine();
        }
        return w.ToString();
    }

    private static string Fit(string text, int width) =>
        text.Length <= width ? text.PadRight(width) : text[..(width - 1)] + "…";
}
