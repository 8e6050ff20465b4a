using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>
/// An independent oracle for the final VA state: paint each request's pages in order (a map paints
/// its pages with a fresh colour, its BO and the page's offset; an unmap clears them). The kernel
/// never merges VAs and cuts existing ones only at request edges, so the final VAs are exactly the
/// maximal runs of pages of one colour.
/// </summary>
internal sealed class PaintOracle(SpaceShape shape)
{
    private readonly int[] colour = new int[shape.WindowPages];
    private readonly ObjId?[] obj = new ObjId?[shape.WindowPages];
    private readonly ulong[] offset = new ulong[shape.WindowPages];
    private int nextColour;

    public void Apply(VmRequest req)
    {
        var first = (int)((req.Addr - shape.WindowStart) / RequestScripts.Page);
        var pages = (int)(req.Range / RequestScripts.Page);
        var c = req is MapRequest ? ++nextColour : 0;
        for (var i = 0; i < pages; i++)
        {
            colour[first + i] = c;
            obj[first + i] = (req as MapRequest)?.Obj;
            offset[first + i] = req is MapRequest m ? m.Offset + ((ulong)i * RequestScripts.Page) : 0;
        }
    }

    /// <summary>The painted VA set as (addr, range, obj, offset), in address order.</summary>
    public List<(ulong Addr, ulong Range, ObjId? Obj, ulong Offset)> Final()
    {
        var result = new List<(ulong, ulong, ObjId?, ulong)>();
        for (var p = 0; p < colour.Length;)
        {
            if (colour[p] == 0)
            {
                p++;
                continue;
            }
            var q = p;
            while (q < colour.Length && colour[q] == colour[p])
                q++;
            result.Add((shape.WindowStart + ((ulong)p * RequestScripts.Page), (ulong)(q - p) * RequestScripts.Page, obj[p], offset[p]));
            p = q;
        }
        return result;
    }
}
