using System.Text;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Checking;

/// <summary>
/// Decides, once nothing is deliverable, whether the blocked tasks are deadlocked, and reports it with the
/// waits-for cycle and every task's held locks (the shape of the hung-task detector's
/// "INFO: task … blocked" plus "Showing all locks held in the system").
///
/// Verdicts: a waits-for cycle of two or more tasks is a deadlock; so is "every unfinished task is blocked"
/// when at least one of them waits for another task (or for a task that died or exited holding the lock).
/// A task waiting only for a lock it holds itself is recursive locking, which lockdep already reported at
/// the acquisition; it is not also called a deadlock.
/// </summary>
public static class DeadlockDetector
{
    /// <param name="tasks">Every task of the run.</param>
    /// <param name="holderOf">The current holder of a lock, from its owner's state.</param>
    /// <param name="step">The delivery step at quiescence.</param>
    public static Finding? Detect(IReadOnlyCollection<TaskLocks> tasks, Func<LockId, ContextId?> holderOf, long step)
    {
        var byId = tasks.ToDictionary(t => t.Id);
        var blocked = tasks.Where(t => !t.Exited && t.Blocked is not null).ToList();
        if (blocked.Count == 0)
            return null;

        ContextId? WaitsFor(TaskLocks t) =>
            t.Blocked!.Lock is { } l ? holderOf(l.Id) : t.Blocked.WaitsForContext;

        var cycle = FindCycle(blocked, byId, WaitsFor);
        var running = tasks.Where(t => !t.Exited && !t.Idle && t.Blocked is null).ToList();
        var waitsOnOthers = blocked.Where(t => WaitsFor(t) is { } h && h != t.Id).ToList();
        if (cycle is null && (running.Count > 0 || waitsOnOthers.Count == 0))
            return null;

        var involved = cycle ?? waitsOnOthers;
        var lockNames = involved.Select(t => t.Blocked!.Lock?.Class.Name ?? t.Blocked.Description)
            .Distinct().OrderBy(n => n, StringComparer.Ordinal);
        var key = $"{FindingKinds.Deadlock}:{string.Join(" + ", lockNames)}";
        var summary = cycle is not null
            ? "waits-for cycle: " + string.Join(" -> ", cycle.Select(t => $"{t.Name} waits for {Target(t)}")) + $" -> {cycle[0].Name}"
            : "every context is blocked: " + string.Join("; ", blocked.Select(t => $"{t.Name} waits for {Target(t)}"));
        return new Finding(FindingKinds.Deadlock, key, summary, Report(cycle, blocked, tasks, byId, WaitsFor), step);
    }

    private static string Target(TaskLocks t) => t.Blocked!.Lock is { } l ? $"{l.Class.Name} [{l.Name}]" : t.Blocked.Description;

    private static List<TaskLocks>? FindCycle(List<TaskLocks> blocked, Dictionary<ContextId, TaskLocks> byId, Func<TaskLocks, ContextId?> waitsFor)
    {
        foreach (var start in blocked.OrderBy(t => t.Id.Value))
        {
            var path = new List<TaskLocks>();
            var onPath = new HashSet<ContextId>();
            var at = start;
            while (at is not null && at.Blocked is not null && !at.Exited && onPath.Add(at.Id))
            {
                path.Add(at);
                at = waitsFor(at) is { } next && byId.TryGetValue(next, out var t) ? t : null;
            }
            if (at is not null && onPath.Contains(at.Id))
            {
                var cycle = path.SkipWhile(t => t.Id != at.Id).ToList();
                if (cycle.Count >= 2)
                    return cycle;
            }
        }
        return null;
    }

    private static string Report(
        List<TaskLocks>? cycle, List<TaskLocks> blocked, IReadOnlyCollection<TaskLocks> tasks,
        Dictionary<ContextId, TaskLocks> byId, Func<TaskLocks, ContextId?> waitsFor)
    {
        var w = new StringBuilder();
        var title = cycle is not null ? "INFO: deadlock: waits-for cycle detected" : "INFO: deadlock: every context is blocked";
        w.AppendLine(new string('=', title.Length));
        w.AppendLine(title);
        w.AppendLine(LockdepReports.KernelIdent);
        w.AppendLine(new string('-', title.Length));
        foreach (var t in cycle ?? blocked)
        {
            var holder = waitsFor(t) is { } h && byId.TryGetValue(h, out var ht) ? ht : null;
            var state = holder is null ? "" : holder.Died ? " (died in an oops)" : holder.Exited ? " (exited)" : "";
            w.Append("  ").Append(t.Comm).Append(" waits for ").Append(Target(t));
            w.AppendLine(holder is null ? "" : $", held by {holder.Comm}{state}");
        }
        w.AppendLine();
        foreach (var t in blocked)
            w.Append("INFO: task ").Append(t.Comm).AppendLine(" blocked for more than 120 seconds.");
        w.AppendLine();
        w.AppendLine("Showing all locks held in the system:");
        foreach (var t in tasks.Where(t => t.Held.Count > 0))
            LockdepReports.HeldLocks(w, t.Comm + (t.Died ? " (dead)" : t.Exited ? " (exited)" : ""), t.Held);
        return w.ToString();
    }
}
