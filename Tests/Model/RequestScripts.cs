using FsCheck;
using FsCheck.Fluent;
using Gpuvmsim.Model;
using Microsoft.FSharp.Core;

namespace Gpuvmsim.Tests.Model;

/// <summary>A VA space and the window of it that a script's requests stay in (sizes in pages of 4 KiB).</summary>
internal sealed record SpaceShape(ulong MmStart, ulong MmRange, ulong WindowStart, int WindowPages)
{
    public override string ToString() => $"space [0x{MmStart:x},+0x{MmRange:x}) window 0x{WindowStart:x}+{WindowPages}p";
}

/// <summary>
/// A request described relative to the VA space it will meet (which existing VA, which part of it),
/// so generation stays pure while requests hit existing mappings the way the kernel vectors' generator
/// biases them (gpuvm-ops-format.md, "How the held-out set was generated").
/// </summary>
internal readonly record struct RequestTemplate(int Kind, int A, int B, int C, int Bo, int Off);

internal sealed record RequestScript(SpaceShape Shape, RequestTemplate[] Templates)
{
    public override string ToString() => $"{Shape}: {string.Join(" ", Templates.Select(t => $"k{t.Kind}({t.A},{t.B},{t.C},bo{t.Bo},o{t.Off})"))}";
}

/// <summary>Generators for random request scripts on small VA spaces, with a fixed-seed FsCheck configuration.</summary>
internal static class RequestScripts
{
    public const ulong Page = 4096;

    /// <summary>Deterministic FsCheck runs: a fixed seed, no dependence on the clock.</summary>
    public static Config Deterministic(int maxTest, ulong seed = 20250611) =>
        Config.QuickThrowOnFailure.WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));

    public static Gen<SpaceShape> Shapes =>
        from start in Gen.Elements(0UL, 0x7000UL, 0x100000UL, 0x10000000UL, 1UL << 40)
        from small in Gen.Choose(0, 5)
        from smallPages in Gen.Choose(16, 32)
        from windowPages in Gen.Choose(16, 64)
        from placement in Gen.Choose(0, 2)
        from page in Gen.Choose(0, (1 << 20) - 65)
        select small == 0
            ? new SpaceShape(start, (ulong)smallPages * Page, start, smallPages)
            : new SpaceShape(start, 1UL << 32,
                start + (placement switch { 0 => 0UL, 1 => (1UL << 32) - (ulong)windowPages * Page, _ => (ulong)page * Page }),
                windowPages);

    public static Gen<RequestTemplate> Templates =>
        from kind in Gen.Frequency((3, Gen.Choose(0, 0)), (10, Gen.Choose(1, 8)), (6, Gen.Choose(9, 13)), (1, Gen.Choose(14, 14)))
        from a in Gen.Choose(0, 10_000)
        from b in Gen.Choose(0, 10_000)
        from c in Gen.Choose(0, 10_000)
        from bo in Gen.Choose(0, 4)
        from off in Gen.Choose(0, 32)
        select new RequestTemplate(kind, a, b, c, bo, off);

    public static Arbitrary<RequestScript> Scripts(int maxRequests = 9) =>
        Arb.From(
            from shape in Shapes
            from n in Gen.Choose(1, maxRequests)
            from templates in Gen.ArrayOf(Templates, n)
            select new RequestScript(shape, templates),
            script => Enumerable.Range(0, script.Templates.Length).Where(_ => script.Templates.Length > 1)
                .Select(i => script with { Templates = [.. script.Templates.Where((_, j) => j != i)] }));

    /// <summary>Turns a template into a concrete request against the VAs now in the window.</summary>
    public static VmRequest Interpret(RequestTemplate t, SpaceShape s, IReadOnlyList<GpuVa> current)
    {
        var w = s.WindowPages;
        ObjId? bo = t.Bo == 0 ? null : new ObjId(t.Bo);
        var offset = (ulong)t.Off * Page;
        if (t.Kind == 14)
            return Unmap(s, 0, w);
        if (current.Count == 0 || t.Kind == 0)
            return t.Kind >= 9 ? Span(s, t, isMap: false, bo, offset) : Span(s, t, isMap: true, bo, offset);
        var v = current[t.A % current.Count];
        int vs = (int)((v.Addr - s.WindowStart) / Page), r = (int)(v.Range / Page), ve = vs + r;
        switch (t.Kind)
        {
            case 1:
                return (t.C % 3) switch
                {
                    0 => Map(s, vs, r, v.Obj, v.Offset),
                    1 => Map(s, vs, r, bo == v.Obj ? null : bo, offset),
                    _ => Map(s, vs, r, v.Obj, v.Offset + Page),
                };
            case 2 when r >= 3:
            {
                var start = vs + 1 + (t.A % (r - 2));
                return Map(s, start, 1 + (t.B % (ve - 1 - start)), Same(t, v, bo), Contiguous(t, v, vs, start, offset));
            }
            case 3 when r >= 2:
                return Map(s, vs, 1 + (t.B % (r - 1)), Same(t, v, bo), Contiguous(t, v, vs, vs, offset));
            case 4 when r >= 2:
            {
                var len = 1 + (t.B % (r - 1));
                return Map(s, ve - len, len, Same(t, v, bo), Contiguous(t, v, vs, ve - len, offset));
            }
            case 5:
            {
                var start = vs - (t.A % (vs + 1));
                var end = ve + (t.B % (w - ve + 1));
                return Map(s, start, end - start, Same(t, v, bo), Contiguous(t, v, vs, start, offset));
            }
            case 6 when vs >= 1 && r >= 2:
            {
                var start = vs - 1 - (t.A % vs);
                var end = vs + 1 + (t.B % (r - 1));
                return Map(s, start, end - start, Same(t, v, bo), Contiguous(t, v, vs, start, offset));
            }
            case 7 when ve < w && r >= 2:
            {
                var start = vs + 1 + (t.A % (r - 1));
                var end = ve + 1 + (t.B % (w - ve));
                return Map(s, start, end - start, Same(t, v, bo), Contiguous(t, v, vs, start, offset));
            }
            case 8 when ve < w && v.Obj is not null:
                return Map(s, ve, 1 + (t.A % (w - ve)), v.Obj, v.Offset + v.Range);
            case 9:
                return Unmap(s, vs, r);
            case 10 when r >= 3:
            {
                var start = vs + 1 + (t.A % (r - 2));
                return Unmap(s, start, 1 + (t.B % (ve - 1 - start)));
            }
            case 11 when r >= 2:
            {
                var len = 1 + (t.B % (r - 1));
                return t.C % 2 == 0 ? Unmap(s, vs, len) : Unmap(s, ve - len, len);
            }
            default:
                return t.Kind >= 9 ? Span(s, t, isMap: false, bo, offset) : Span(s, t, isMap: true, bo, offset);
        }
    }

    private static ObjId? Same(RequestTemplate t, GpuVa v, ObjId? bo) => t.C % 2 == 0 ? v.Obj : bo;

    /// <summary>Half the time, the offset that continues <paramref name="v"/>'s backing at <paramref name="startPage"/> (v starts at page <paramref name="vs"/>).</summary>
    private static ulong Contiguous(RequestTemplate t, GpuVa v, int vs, int startPage, ulong offset)
    {
        if (t.C % 2 != 0)
            return offset;
        var wanted = (long)v.Offset + ((startPage - vs) * (long)Page);
        return wanted >= 0 ? (ulong)wanted : offset;
    }

    private static VmRequest Span(SpaceShape s, RequestTemplate t, bool isMap, ObjId? bo, ulong offset)
    {
        var start = t.A % s.WindowPages;
        var len = 1 + (t.B % (s.WindowPages - start));
        return isMap ? Map(s, start, len, bo, offset) : Unmap(s, start, len);
    }

    private static MapRequest Map(SpaceShape s, int startPage, int pages, ObjId? bo, ulong offset) =>
        new(s.WindowStart + ((ulong)startPage * Page), (ulong)pages * Page, bo, offset);

    private static UnmapRequest Unmap(SpaceShape s, int startPage, int pages) =>
        new(s.WindowStart + ((ulong)startPage * Page), (ulong)pages * Page);
}
