using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Scenarios;

/// <summary>Rendered scenarios parse back into the spec they came from.</summary>
public class ScenarioRendererSpec
{
    [Theory]
    [MemberData(nameof(ScenarioLibrarySpec.LibraryFiles), MemberType = typeof(ScenarioLibrarySpec))]
    public void Every_library_scenario_round_trips_through_the_renderer(string file)
    {
        var parsed = ScenarioParser.ParseFile(Path.Combine(ScenarioLibrarySpec.LibraryFolder, file));

        var rendered = ScenarioRenderer.Render(parsed);
        var reparsed = ScenarioParser.ParseString(rendered, file);

        Assert.Equal(ScenarioShape.Of(parsed), ScenarioShape.Of(reparsed));
        Assert.Equal(rendered, ScenarioRenderer.Render(reparsed));
    }

    [Fact]
    public void Lock_scripts_and_every_optional_field_round_trip()
    {
        var parsed = ScenarioParser.ParseString("""
            scenario {
              name = "all \"fields\""
              description = "line one\nline two"
              locks = [ { name = A, kind = mutex }, { name = B, kind = spinlock, class = shared }, { name = C, kind = ww-mutex, class = shared2 }, { name = D, kind = ww-mutex }, { name = E, kind = ww-mutex, class = E } ]
              vms = [ { name = V, kind = vm-bind, va { start = 0x100000, range = 0x3000 } }, { name = K, kind = managed, va { start = 1G, range = 16M } } ]
              bos = [ { name = X, size = 12K, handles = 0, fences = [G] }, { name = Y, size = 8K, handles = 2 } ]
              queues = [ { name = Q, vm = V } ]
              fences = [ { name = G }, { name = H } ]
              initial { mappings = [
                { vm = V, bo = X, addr = 0x100000, range = 4K, offset = 4K, mapped = false, dump = true }
                { vm = V, null = true, addr = 0x101000, range = 4K }
                { vm = K, bo = Y, addr = 1G, range = 8K }
              ] }
              contexts = [
                { name = T1, steps = [ { lock = A }, { trylock = B }, { sleep = true }, { unlock = B }, { unlock = A }, { lock = "V.op_lock" }, { unlock = "X.resv" } ] }
                { name = T2, steps = [
                  { vm-bind { queue = Q, in-fence = H, out-fence = J, prealloc-short-by = 1, ops = [ { op = map-null, addr = 0x102000, range = 4K }, { op = unmap, addr = 0x100000, range = 4K }, { op = map, bo = Y, addr = 0x102000, range = 4K, offset = 4K, dump = true } ] } }
                  { wait-fence = J }, { signal-fence = G }, { gem-close { bo = X, vm = V } }, { legacy-map { bo = Y, vm = K } }
                  { shrink { bos = [X, Y], purge = true } }, { shrink { bos = [X] } }, { vm-close = V }, { file-close = K }
                ] }
              ]
              options { page-size = 4K, memory-pressure = on, fence-signalling-annotations = on, shrinker-wait = bounded }
              designs { mine { base = v2-fixed, knobs { close-takes-op-lock-first = on, unmap-prealloc-vmas = 1 }, description = "a \"design\"" } }
              expect { v2 = [], mine = [deadlock, leak] }
            }
            """, "all.conf");

        var reparsed = ScenarioParser.ParseString(ScenarioRenderer.Render(parsed), "all.conf");

        Assert.Equal(ScenarioShape.Of(parsed), ScenarioShape.Of(reparsed));
    }
}
