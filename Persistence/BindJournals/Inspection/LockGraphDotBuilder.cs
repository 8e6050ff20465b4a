using System.Text;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>
/// The lock-class dependency graph in Graphviz DOT: one node per lock class, one edge per dependency labelled with
/// the step that added it (and its schedule when a lockdep witness added it), the edges and classes of a
/// lock-order inversion in red.
/// </summary>
public static class LockGraphDotBuilder
{
    /// <param name="scheduleIndex">The run's own schedule: edges of other schedules (witnesses) name theirs.</param>
    public static string Build(string title, IReadOnlyList<LockDependency> dependencies, long scheduleIndex)
    {
        var inCycle = dependencies.Where(d => d.InCycle).SelectMany(d => new[] { d.From, d.To }).ToHashSet(StringComparer.Ordinal);
        var w = new StringBuilder();
        w.AppendLine("digraph lockdep {");
        w.AppendLine($"  label={Quote(title)};");
        w.AppendLine("  labelloc=t;");
        w.AppendLine("  rankdir=LR;");
        w.AppendLine("  node [shape=box, fontname=\"monospace\"];");
        foreach (var name in dependencies.SelectMany(d => new[] { d.From, d.To }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            w.AppendLine($"  {Quote(name)}{(inCycle.Contains(name) ? " [color=red, fontcolor=red, penwidth=2]" : "")};");
        foreach (var d in dependencies)
        {
            // Steps are the trace's (0-based); lockdep reports count deliveries from 1.
            var where = (d.ScheduleIndex == scheduleIndex ? "" : $"schedule {d.ScheduleIndex} ") + $"step {d.Step} (delivery {d.Step + 1})";
            var label = $"{where}\n{d.Function} ({d.Comm})";
            var style = d.InCycle ? ", color=red, fontcolor=red, penwidth=2" : "";
            w.AppendLine($"  {Quote(d.From)} -> {Quote(d.To)} [label={Quote(label)}{style}];");
        }
        w.AppendLine("}");
        return w.ToString();
    }

    /// <summary>A DOT double-quoted string.</summary>
    public static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
