using System.Collections.Concurrent;
using Gpuvmsim.Locking;

namespace Gpuvmsim.Checking;

/// <summary>
/// The lock-class dependency graph of an exploration, gathered over all its schedules as lockdep gathers
/// it over the life of a kernel: an edge A → B means "B was acquired while A was held" in some schedule.
/// A cycle is a lock-order inversion even if no schedule deadlocked.
///
/// Thread-safe: explorations merge each schedule's <see cref="LockdepRun.NewEdges"/> from any core. For every
/// edge the graph keeps the witness with the smallest (schedule index, delivery), so the graph, and the
/// inversions found by replaying edges in that order, are the same whatever the core count.
/// </summary>
public sealed class LockDependencyGraph
{
    private readonly ConcurrentDictionary<(string From, string To), EdgeWitness> edges = new();

    public int EdgeCount => edges.Count;

    /// <summary>All edges with their earliest witness, in witness order.</summary>
    public IReadOnlyList<EdgeWitness> Edges =>
        [.. edges.Values.OrderBy(e => e.Order).ThenBy(e => e.From.Name, StringComparer.Ordinal).ThenBy(e => e.To.Name, StringComparer.Ordinal)];

    /// <summary>Adds a schedule's edges, keeping the earliest witness of each.</summary>
    public void Merge(IEnumerable<EdgeWitness> witnesses)
    {
        foreach (var w in witnesses)
            edges.AddOrUpdate((w.From.Name, w.To.Name), w, (_, old) => Earlier(old, w));
    }

    /// <summary>
    /// True if schedule <paramref name="scheduleIndex"/> need not record <paramref name="edge"/>: a schedule
    /// at or before it already witnessed it, so its own witness could never be the earliest.
    /// </summary>
    public bool KnownBy((string From, string To) edge, long scheduleIndex) =>
        edges.TryGetValue(edge, out var w) && w.ScheduleIndex <= scheduleIndex;

    /// <summary>
    /// Replays the edges in witness order into an empty graph; whenever an edge P → N closes a path
    /// N ⇝ P, that is a circular dependency, reported as lockdep would at that acquisition.
    /// Each distinct set of classes is reported once.
    /// </summary>
    public IReadOnlyList<GraphFinding> FindInversions()
    {
        var adjacency = new Dictionary<string, List<EdgeWitness>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<GraphFinding>();
        foreach (var edge in Edges)
        {
            var path = ShortestPath(adjacency, edge.To.Name, edge.From.Name);
            if (path is not null)
            {
                var classes = path.Select(p => p.From.Name).Append(edge.From.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal);
                var key = $"{FindingKinds.LockOrderInversion}:{string.Join(" <-> ", classes)}";
                if (seen.Add(key))
                {
                    var summary = path.Count == 1
                        ? $"{edge.From.Name} -> {edge.To.Name} (by {edge.Comm}) against {edge.To.Name} -> {edge.From.Name} (by {path[0].Comm})"
                        : $"cycle {string.Join(" -> ", path.Select(p => p.From.Name).Prepend(edge.From.Name))} -> {edge.From.Name}";
                    var report = LockdepReports.CircularDependency(edge, path);
                    var cycleEdges = path.Select(p => (p.From.Name, p.To.Name)).Append((edge.From.Name, edge.To.Name)).ToList();
                    found.Add(new GraphFinding(new Finding(FindingKinds.LockOrderInversion, key, summary, report, edge.Delivery), edge.ScheduleIndex, cycleEdges));
                }
            }
            if (!adjacency.TryGetValue(edge.From.Name, out var outgoing))
                adjacency[edge.From.Name] = outgoing = [];
            outgoing.Add(edge);
        }
        return found;
    }

    /// <summary>
    /// The graph in Graphviz DOT: one node per class, one edge per dependency labelled by <paramref name="edgeLabel"/>
    /// (default: the function that took the lock), the classes and edges of a lock-order inversion in red.
    /// </summary>
    public string ToDot(string? title = null, Func<EdgeWitness, string>? edgeLabel = null)
    {
        var cycleEdges = FindInversions().SelectMany(f => f.CycleEdges).ToHashSet();
        var cycleClasses = cycleEdges.SelectMany(e => new[] { e.Item1, e.Item2 }).ToHashSet(StringComparer.Ordinal);
        const string red = "color=red, fontcolor=red, penwidth=2";
        var w = new System.Text.StringBuilder();
        w.AppendLine("digraph lockdep {");
        if (title is not null)
            w.AppendLine($"  label={Quote(title)};").AppendLine("  labelloc=t;");
        w.AppendLine("  rankdir=LR;");
        w.AppendLine("  node [shape=box, fontname=\"monospace\"];");
        foreach (var name in edges.Values.SelectMany(e => new[] { e.From, e.To }).Select(c => c.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal))
            w.AppendLine($"  {Quote(name)}{(cycleClasses.Contains(name) ? $" [{red}]" : "")};");
        foreach (var e in Edges)
        {
            var style = cycleEdges.Contains((e.From.Name, e.To.Name)) ? $", {red}" : "";
            w.AppendLine($"  {Quote(e.From.Name)} -> {Quote(e.To.Name)} [label={Quote(edgeLabel?.Invoke(e) ?? e.ToSite.Function)}{style}];");
        }
        w.AppendLine("}");
        return w.ToString();
    }

    /// <summary>A DOT double-quoted string.</summary>
    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static EdgeWitness Earlier(EdgeWitness a, EdgeWitness b) => b.Order.CompareTo(a.Order) < 0 ? b : a;

    /// <summary>Breadth-first search (as lockdep's <c>check_noncircular</c>): the edges of a shortest path from → to.</summary>
    private static List<EdgeWitness>? ShortestPath(Dictionary<string, List<EdgeWitness>> adjacency, string from, string to)
    {
        if (from == to)
            return [];
        var cameBy = new Dictionary<string, EdgeWitness>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(from);
        var visited = new HashSet<string>(StringComparer.Ordinal) { from };
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (!adjacency.TryGetValue(node, out var outgoing))
                continue;
            foreach (var e in outgoing)
            {
                if (!visited.Add(e.To.Name))
                    continue;
                cameBy[e.To.Name] = e;
                if (e.To.Name == to)
                {
                    var path = new List<EdgeWitness>();
                    for (var at = to; at != from; at = cameBy[at].From.Name)
                        path.Add(cameBy[at]);
                    path.Reverse();
                    return path;
                }
                queue.Enqueue(e.To.Name);
            }
        }
        return null;
    }
}

/// <summary>A finding of the whole exploration, with the schedule that completed it and the cycle's edges.</summary>
public sealed record GraphFinding(Finding Finding, long ScheduleIndex, IReadOnlyList<(string From, string To)> CycleEdges);
