// DOC: MmuPageTable's PTE storage: a sorted list of maximal runs of pages that map consecutive
// pages of one target (a BO at consecutive offsets, or PRR) with one prot. Runs never overlap and
// adjacent runs that could be one are merged, so the representation of a PTE set is canonical
// (the state hash depends only on the PTEs). Owned and guarded like MmuPageTable.

namespace Gpuvmsim.Model;

public sealed partial class MmuPageTable
{
    /// <summary>Index of the first run whose last page is at or after <paramref name="page"/>.</summary>
    private int FirstRunEndingAfter(ulong page)
    {
        int lo = 0, hi = runs.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (runs[mid].Start + runs[mid].Count > page)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }

    /// <summary>The first page in [start, end) that has a PTE, if any.</summary>
    private ulong? FirstExistingPage(ulong start, ulong end)
    {
        var i = FirstRunEndingAfter(start);
        return i < runs.Count && runs[i].Start < end ? Math.Max(runs[i].Start, start) : null;
    }

    /// <summary>Inserts a run over pages that have no PTE, merging it with contiguous neighbours.</summary>
    private void AddRun(Run run)
    {
        var i = FirstRunEndingAfter(run.Start);
        runs.Insert(i, run);
        if (i + 1 < runs.Count && Joins(runs[i], runs[i + 1]))
        {
            var r = runs[i];
            r.Count += runs[i + 1].Count;
            runs[i] = r;
            runs.RemoveAt(i + 1);
        }
        if (i > 0 && Joins(runs[i - 1], runs[i]))
        {
            var r = runs[i - 1];
            r.Count += runs[i].Count;
            runs[i - 1] = r;
            runs.RemoveAt(i);
        }
    }

    /// <summary>Clears the PTEs of pages [start, end); returns how many pages had one.</summary>
    private ulong RemovePages(ulong start, ulong end)
    {
        ulong removed = 0;
        var i = FirstRunEndingAfter(start);
        while (i < runs.Count && runs[i].Start < end)
        {
            var r = runs[i];
            ulong rEnd = r.Start + r.Count, cutStart = Math.Max(r.Start, start), cutEnd = Math.Min(rEnd, end);
            removed += cutEnd - cutStart;
            var head = r with { Count = cutStart - r.Start };
            var tail = r with { Start = cutEnd, Count = rEnd - cutEnd, Offset = r.HasObj ? r.Offset + ((cutEnd - r.Start) << Config.PageShift) : 0 };
            runs.RemoveAt(i);
            if (tail.Count > 0)
                runs.Insert(i, tail);
            if (head.Count > 0)
            {
                runs.Insert(i, head);
                i++;
            }
            if (tail.Count > 0)
                break;
        }
        return removed;
    }

    private bool Joins(Run a, Run b) =>
        a.Start + a.Count == b.Start && a.HasObj == b.HasObj && a.Prot == b.Prot
        && (!a.HasObj || (a.Obj == b.Obj && a.Offset + (a.Count << Config.PageShift) == b.Offset));
}
