using System.Text;
using Gpuvmsim.Locking;

namespace Gpuvmsim.Checking;

/// <summary>
/// Renders findings in the text shape of the kernel's lockdep splats (conventions.md §4.2,
/// <c>print_circular_bug_*</c>, <c>print_deadlock_bug</c>, <c>print_unlock_imbalance_bug</c>,
/// <c>lockdep_print_held_locks</c>), naming scenario steps where the kernel prints stack frames.
/// Banners are as long as their title, as in the kernel.
/// </summary>
public static class LockdepReports
{
    /// <summary>The kernel identification line every splat carries.</summary>
    public const string KernelIdent = "6.14.0-gpuvmsim #1 Not tainted";

    /// <summary>"WARNING: possible circular locking dependency detected" for the edge that closed a cycle.</summary>
    /// <param name="closing">The acquisition of <c>N</c> while holding <c>P</c> that closed the cycle.</param>
    /// <param name="path">The existing dependency path N → … → P (at least one edge).</param>
    public static string CircularDependency(EdgeWitness closing, IReadOnlyList<EdgeWitness> path)
    {
        var w = new StringBuilder();
        Banner(w, "WARNING: possible circular locking dependency detected");
        w.Append(closing.Comm).AppendLine(" is trying to acquire lock:");
        w.AppendLine(LockLine(closing.ToLock, closing.ToSite));
        w.AppendLine();
        w.AppendLine("but task is already holding lock:");
        w.AppendLine(LockLine(closing.FromLock, closing.FromSite));
        w.AppendLine();
        w.AppendLine("which lock already depends on the new lock.");
        w.AppendLine();
        w.AppendLine();
        w.AppendLine("the existing dependency chain (in reverse order) is:");
        // path[i] goes X_i -> X_{i+1}; entry #k (k = path.Count) is the held lock P, #0 the new lock N.
        for (var k = path.Count; k >= 1; k--)
        {
            var edge = path[k - 1];
            w.AppendLine();
            w.Append("-> #").Append(k).Append(' ').Append(ClassLabel(edge.ToLock)).AppendLine(":");
            Frame(w, edge.ToSite);
            Frame(w, $"with {edge.FromLock.Class.Name} held since {edge.FromSite.Frame} [{edge.Comm}]");
        }
        w.AppendLine();
        w.Append("-> #0 ").Append(ClassLabel(closing.ToLock)).AppendLine(":");
        Frame(w, closing.ToSite);
        w.AppendLine();
        w.AppendLine("other info that might help us debug this:");
        w.AppendLine();
        var target = closing.FromLock.Class.Name;   // held
        var source = closing.ToLock.Class.Name;     // new
        var parent = path[^1].FromLock.Class.Name;  // the class just before the held one in the chain
        if (path.Count > 1)
        {
            w.AppendLine("Chain exists of:");
            w.Append("  ").Append(source).Append(" --> ").Append(parent).Append(" --> ").AppendLine(target);
            w.AppendLine();
        }
        w.AppendLine(" Possible unsafe locking scenario:");
        w.AppendLine();
        w.AppendLine("       CPU0                    CPU1");
        w.AppendLine("       ----                    ----");
        w.Append("  lock(").Append(target).AppendLine(");");
        w.Append("                               lock(").Append(parent).AppendLine(");");
        w.Append("                               lock(").Append(target).AppendLine(");");
        w.Append("  lock(").Append(source).AppendLine(");");
        w.AppendLine();
        w.AppendLine(" *** DEADLOCK ***");
        w.AppendLine();
        HeldLocks(w, closing.Comm, closing.HeldAtAcquire);
        Backtrace(w, closing.Comm, closing.Pid, closing.ToSite);
        return w.ToString();
    }

    /// <summary>"WARNING: possible recursive locking detected".</summary>
    public static string RecursiveLocking(TaskLocks task, LockInfo next, AcquisitionSite site, HeldLock held)
    {
        var w = new StringBuilder();
        Banner(w, "WARNING: possible recursive locking detected");
        w.Append(task.Comm).AppendLine(" is trying to acquire lock:");
        w.AppendLine(LockLine(next, site));
        w.AppendLine();
        w.AppendLine("but task is already holding lock:");
        w.AppendLine(LockLine(held.Lock, held.Site));
        w.AppendLine();
        w.AppendLine("other info that might help us debug this:");
        w.AppendLine(" Possible unsafe locking scenario:");
        w.AppendLine();
        w.AppendLine("       CPU0");
        w.AppendLine("       ----");
        w.Append("  lock(").Append(held.Lock.Class.Name).AppendLine(");");
        w.Append("  lock(").Append(next.Class.Name).AppendLine(");");
        w.AppendLine();
        w.AppendLine(" *** DEADLOCK ***");
        w.AppendLine();
        w.AppendLine(" May be due to missing lock nesting notation");
        w.AppendLine();
        HeldLocks(w, task.Comm, task.Held);
        Backtrace(w, task.Comm, task.Pid, site);
        return w.ToString();
    }

    /// <summary>"WARNING: bad unlock balance detected!".</summary>
    public static string BadUnlock(TaskLocks task, LockInfo lockInfo, AcquisitionSite site)
    {
        var w = new StringBuilder();
        Banner(w, "WARNING: bad unlock balance detected!");
        w.Append(task.Comm).Append(" is trying to release lock (").Append(lockInfo.Class.Name).AppendLine(") at:");
        w.Append('[').Append(lockInfo.Address).Append("] ").AppendLine(site.Frame);
        w.AppendLine("but there are no more locks to release!");
        w.AppendLine();
        w.AppendLine("other info that might help us debug this:");
        HeldLocks(w, task.Comm, task.Held);
        Backtrace(w, task.Comm, task.Pid, site);
        return w.ToString();
    }

    /// <summary>"WARNING: held lock freed!".</summary>
    public static string HeldLockFreed(TaskLocks holder, LockInfo lockInfo, AcquisitionSite site, string freedWhat)
    {
        var w = new StringBuilder();
        Banner(w, "WARNING: held lock freed!");
        w.Append(site.Context).Append(" is freeing memory ").Append(freedWhat).AppendLine(", with a lock still held there!");
        w.AppendLine(LockLine(lockInfo, holder.Held.First(h => h.Lock.Id == lockInfo.Id).Site));
        HeldLocks(w, holder.Comm, holder.Held);
        w.AppendLine();
        w.AppendLine("stack backtrace:");
        w.AppendLine(" <TASK>");
        Frame(w, site);
        w.AppendLine(" </TASK>");
        return w.ToString();
    }

    /// <summary>"BUG: sleeping function called from invalid context".</summary>
    public static string SleepInAtomic(TaskLocks task, AcquisitionSite site, string what)
    {
        var w = new StringBuilder();
        w.Append("BUG: sleeping function called from invalid context at ").AppendLine(site.Frame);
        w.Append("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ").Append(task.Pid).Append(", name: ").AppendLine(task.Name);
        w.Append("preempt_count: ").Append(task.Held.Count(h => h.Lock.Kind == LockKind.Spinlock)).AppendLine(", expected: 0");
        w.AppendLine("RCU nest depth: 0, expected: 0");
        w.Append("sleeping operation: ").AppendLine(what);
        HeldLocks(w, task.Comm, task.Held);
        var spin = task.Held.Last(h => h.Lock.Kind == LockKind.Spinlock);
        w.AppendLine("Preemption disabled at:");
        w.Append('[').Append(spin.Lock.Address).Append("] ").AppendLine(spin.Site.Frame);
        Backtrace(w, task.Comm, task.Pid, site);
        return w.ToString();
    }

    /// <summary>"WARNING: lock held when returning to user space!" (<c>lockdep_sys_exit</c>).</summary>
    public static string HeldAtExit(TaskLocks task, AcquisitionSite site)
    {
        var w = new StringBuilder();
        Banner(w, "WARNING: lock held when returning to user space!");
        w.Append(task.Comm).AppendLine(" is leaving the kernel with locks still held!");
        HeldLocks(w, task.Comm, task.Held);
        Backtrace(w, task.Comm, task.Pid, site);
        return w.ToString();
    }

    /// <summary>An oops: "BUG: kernel NULL pointer dereference" or "kernel BUG at …", with the locks the dying task keeps.</summary>
    public static string Oops(TaskLocks task, string function, string kind, string message, AcquisitionSite site)
    {
        var w = new StringBuilder();
        if (kind == "null-deref")
        {
            w.AppendLine("BUG: kernel NULL pointer dereference, address: 0000000000000000");
            w.AppendLine("#PF: supervisor read access in kernel mode");
        }
        else
        {
            w.Append("kernel BUG at ").Append(function).AppendLine("!");
        }
        w.AppendLine("Oops: Oops: 0000 [#1] PREEMPT SMP");
        w.Append("CPU: 0 UID: 0 PID: ").Append(task.Pid).Append(" Comm: ").Append(task.Name).Append(' ').AppendLine(KernelIdent);
        w.Append("RIP: 0010:").AppendLine(site.Frame);
        w.Append("reason: ").AppendLine(message);
        w.AppendLine("Call Trace:");
        w.AppendLine(" <TASK>");
        w.Append(' ').AppendLine(site.Frame);
        w.AppendLine(" </TASK>");
        w.AppendLine("---[ end trace 0000000000000000 ]---");
        w.AppendLine("note: the task died holding:");
        HeldLocks(w, task.Comm, task.Held);
        return w.ToString();
    }

    /// <summary>A failed <c>lockdep_assert_held()</c>: the kernel's WARNING with the task's held locks.</summary>
    public static string AssertHeldFailed(TaskLocks? task, string comm, LockInfo required, string function, string what, long delivery)
    {
        var w = new StringBuilder();
        w.AppendLine("------------[ cut here ]------------");
        w.Append("WARNING: CPU: 0 PID: ").Append(task?.Pid ?? 0).Append(" at ").Append(function)
            .Append(" (").Append(task?.Doing ?? comm).Append(", delivery ").Append(delivery).AppendLine(")");
        w.Append("lockdep_assert_held(").Append(required.Class.Name).Append(") failed: ").Append(comm)
            .Append(" does not hold ").Append(required.Name).AppendLine();
        w.Append("  ").AppendLine(what);
        if (task is not null)
            HeldLocks(w, comm, task.Held);
        w.AppendLine("---[ end trace 0000000000000000 ]---");
        return w.ToString();
    }

    /// <summary>One <c>print_lock</c> line: address, class, usage, wait types, and where it was taken.</summary>
    public static string LockLine(LockInfo lockInfo, AcquisitionSite site) =>
        $"{lockInfo.Address} {ClassLabel(lockInfo)}, at: {site.Frame}";

    /// <summary><c>lockdep_print_held_locks</c>.</summary>
    public static void HeldLocks(StringBuilder w, string comm, IReadOnlyList<HeldLock> held)
    {
        if (held.Count == 0)
        {
            w.Append("no locks held by ").Append(comm).AppendLine(".");
            return;
        }
        w.Append(held.Count).Append(held.Count == 1 ? " lock held by " : " locks held by ").Append(comm).AppendLine(":");
        for (var i = 0; i < held.Count; i++)
            w.Append(" #").Append(i).Append(": ").AppendLine(LockLine(held[i].Lock, held[i].Site));
    }

    /// <summary>The class with lockdep's usage bits and wait types, e.g. <c>(&amp;vm->op_lock){+.+.}-{4:4}</c>.</summary>
    public static string ClassLabel(LockInfo lockInfo) => $"({lockInfo.Class.Name}){{+.+.}}-{WaitTypes(lockInfo.Kind)}";

    private static string WaitTypes(LockKind kind) => kind switch
    {
        LockKind.Spinlock => "{2:2}",
        LockKind.LockMap => "{0:0}",
        _ => "{4:4}",
    };

    private static void Banner(StringBuilder w, string title)
    {
        w.AppendLine(new string('=', title.Length));
        w.AppendLine(title);
        w.AppendLine(KernelIdent);
        w.AppendLine(new string('-', title.Length));
    }

    private static void Frame(StringBuilder w, AcquisitionSite site) => Frame(w, site.Frame);

    private static void Frame(StringBuilder w, string text) => w.Append("       ").AppendLine(text);

    private static void Backtrace(StringBuilder w, string comm, int pid, AcquisitionSite site)
    {
        w.AppendLine();
        w.AppendLine("stack backtrace:");
        w.Append("CPU: 0 UID: 0 PID: ").Append(pid).Append(" Comm: ").Append(comm.Split('/')[0]).Append(' ').AppendLine(KernelIdent);
        w.AppendLine("Call Trace:");
        w.AppendLine(" <TASK>");
        w.Append(' ').AppendLine(site.Frame);
        w.AppendLine(" </TASK>");
    }
}
