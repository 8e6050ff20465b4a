using Gpuvmsim.Checking;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>
/// The lock-class dependency graph of one run in Graphviz DOT (<see cref="LockDependencyGraph.ToDot"/>), each edge
/// labelled with the step that added it (and its schedule when a lockdep witness added it) and where.
/// </summary>
public static class LockGraphDotBuilder
{
    /// <param name="scheduleIndex">The run's own schedule: edges of other schedules (witnesses) name theirs.</param>
    public static string Build(string title, LockDependencyGraph graph, long scheduleIndex) =>
        graph.ToDot(title, e =>
        {
            var step = RunAnalysis.StepOf(e);
            var where = (e.ScheduleIndex == scheduleIndex ? "" : $"schedule {e.ScheduleIndex} ") + $"step {step} (delivery {step + 1})";
            return $"{where}\n{e.ToSite.Function} ({e.Comm})";
        });
}
