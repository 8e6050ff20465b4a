using System.Text.Json;
using System.Text.RegularExpressions;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.BindJournals.Inspection;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>
/// The inspection builders on journals of real explorations: the timeline (every world event after the delivery that
/// caused it), the Chrome trace (valid, one named track per actor, B/E matched per track, flow arrows in pairs),
/// the lock graph in DOT (classes, edges labelled with steps, the inversion in red), and the diff of two runs.
/// </summary>
public sealed partial class JournalInspectionSpec(InspectedJournal journal) : IClassFixture<InspectedJournal>
{
    private RunTimeline Timeline(string id)
    {
        using var store = BindJournalStore.OpenReadOnly(journal.Database);
        var run = store.Load(id);
        return RunTimeline.Of(run, RunAnalysis.Of(run));
    }

    private IEnumerable<string> AllRuns() =>
        journal.S02Exploration.FindingJournalIds.Concat(journal.AbbaExploration.FindingJournalIds).Append(journal.Seed1).Append(journal.S01Run).Distinct();

    [Fact]
    public void The_timeline_places_each_world_event_after_the_delivery_to_its_actor_at_its_step()
    {
        foreach (var id in AllRuns())
        {
            var timeline = Timeline(id);
            Assert.Null(timeline.Analysis.Problem);
            Assert.Equal(timeline.Header.Steps, timeline.Deliveries.Count);
            Assert.Equal(timeline.Header.WorldStreams.Values.Sum(), timeline.Entries.OfType<WorldEventEntry>().Count());
            DeliveryEntry? current = null;
            foreach (var entry in timeline.Entries)
            {
                if (entry is DeliveryEntry delivery)
                {
                    Assert.True(current is null || delivery.Step == current.Step + 1, $"{id}: step {delivery.Step} after {current?.Step}");
                    current = delivery;
                    continue;
                }
                var e = (WorldEventEntry)entry;
                Assert.NotNull(current);
                Assert.Equal(current.Step, e.Step);
                var kind = e.Actor.Split('/')[0];
                Assert.StartsWith(kind, TraceDelivery.ActorName(current.Delivery.Receiver), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_chrome_trace_is_valid_json_with_a_named_track_per_actor_matched_lock_holds_and_paired_flows()
    {
        foreach (var id in AllRuns())
        {
            var timeline = Timeline(id);
            using var document = JsonDocument.Parse(ChromeTraceBuilder.Build(timeline));
            var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
            var named = events.Where(e => Phase(e) == "M" && e.GetProperty("name").GetString() == "thread_name")
                .Select(e => (Pid(e), Tid(e))).ToHashSet();
            var used = events.Where(e => Phase(e) != "M").Select(e => (Pid(e), Tid(e))).ToHashSet();
            Assert.Subset(named, used);

            var receivers = timeline.Deliveries.Select(d => TraceDelivery.ActorName(d.Receiver)).Distinct().ToList();
            var threadNames = events.Where(e => Phase(e) == "M" && e.GetProperty("name").GetString() == "thread_name")
                .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToHashSet();
            Assert.Subset(threadNames, receivers.ToHashSet<string?>());

            var slices = events.Where(e => Phase(e) == "X").ToList();
            Assert.Equal(timeline.Deliveries.Count, slices.Count(e => e.TryGetProperty("args", out _)));
            Assert.All(slices, e => Assert.True(e.GetProperty("dur").GetDouble() > 0));

            foreach (var track in events.Where(e => Phase(e) is "B" or "E").GroupBy(e => (Pid(e), Tid(e))))
            {
                var open = new Stack<JsonElement>();
                foreach (var e in track)
                {
                    if (Phase(e) == "B")
                    {
                        open.Push(e);
                        continue;
                    }
                    Assert.True(open.Count > 0, $"{id}: E without B on track {track.Key}");
                    var begin = open.Pop();
                    Assert.Equal(begin.GetProperty("name").GetString(), e.GetProperty("name").GetString());
                    Assert.True(Ts(begin) <= Ts(e));
                }
                Assert.Empty(open);
            }
            Assert.Equal(timeline.Holds.Count, events.Count(e => Phase(e) == "B"));

            var starts = events.Where(e => Phase(e) == "s").ToDictionary(e => e.GetProperty("id").GetInt64());
            var finishes = events.Where(e => Phase(e) == "f").ToDictionary(e => e.GetProperty("id").GetInt64());
            Assert.Equal(starts.Keys.Order(), finishes.Keys.Order());
            Assert.All(starts, s => Assert.True(Ts(s.Value) < Ts(finishes[s.Key]), $"{id}: flow {s.Key} goes back in time"));
            Assert.Equal(timeline.Header.Findings.Count, events.Count(e => Phase(e) == "i"));
        }
    }

    [Fact]
    public void Lock_holds_carry_the_scenario_names_of_the_locks_and_a_deadlock_leaves_them_held()
    {
        var timeline = Timeline(journal.DeadlockRun);

        var held = timeline.Holds.Where(h => h.HeldAtEnd).Select(h => timeline.LockName(h.Lock)).Order(StringComparer.Ordinal);

        Assert.Equal(["V.op_lock", "V.run_job_work"], held);
        Assert.Contains(timeline.Holds, h => !h.HeldAtEnd && timeline.LockName(h.Lock) == "B.resv");
    }

    [Fact]
    public void The_dot_graph_declares_every_class_labels_each_edge_with_its_step_and_paints_the_inversion_red()
    {
        foreach (var id in journal.AbbaExploration.FindingJournalIds.Concat(journal.S02Exploration.FindingJournalIds).Distinct())
        {
            var timeline = Timeline(id);
            var dot = LockGraphDotBuilder.Build(id, timeline.Analysis.Graph!, timeline.Header.ScheduleIndex);

            Assert.StartsWith("digraph lockdep {\n", dot.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.EndsWith("}\n", dot.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));
            var nodes = NodeLine().Matches(dot).Select(m => m.Groups["name"].Value).ToHashSet();
            var edges = EdgeLine().Matches(dot).ToList();
            Assert.NotEmpty(edges);
            foreach (var edge in edges)
            {
                Assert.Contains(edge.Groups["from"].Value, nodes);
                Assert.Contains(edge.Groups["to"].Value, nodes);
            }
            var red = edges.Where(e => e.Value.Contains("color=red", StringComparison.Ordinal))
                .Select(e => (From: e.Groups["from"].Value, To: e.Groups["to"].Value)).ToList();
            if (timeline.Header.Verdict.Contains("lock-order-inversion"))
            {
                // The red edges close a cycle: every class on them is left as often as it is entered.
                Assert.True(red.Count >= 2, $"{id}: no cycle painted");
                Assert.All(red, e => Assert.Contains(red, other => other.From == e.To));
                Assert.All(red, e => Assert.Contains(red, other => other.To == e.From));
            }
        }
        var abba = Timeline(journal.AbbaExploration.FindingJournalIds[0]);
        Assert.Equal([("A", "B"), ("B", "A")], abba.Analysis.Graph!.FindInversions().SelectMany(f => f.CycleEdges).Distinct().Order());
    }

    [Fact]
    public void A_diff_of_two_seeds_names_where_the_schedules_and_traces_part_and_a_run_equals_itself()
    {
        using var store = BindJournalStore.OpenReadOnly(journal.Database);
        var (a, b) = (store.Load(journal.Seed1), store.Load(journal.Seed2));

        var difference = JournalDiff.Compare(a, b);

        Assert.False(difference.Identical);
        Assert.Equal([new SetupDifference("seed", "1", "2")], difference.Setup);
        var schedule = Assert.IsType<ScheduleDivergence>(difference.Schedule);
        Assert.NotEqual(schedule.A, schedule.B);
        var trace = Assert.IsType<Gpuvmsim.Runtime.Deterministic.TraceDivergence>(difference.Trace);
        Assert.NotEqual(trace.LineA, trace.LineB);
        Assert.Equal(a.Trace.Split('\n')[..(int)trace.Step], b.Trace.Split('\n')[..(int)trace.Step]);
        Assert.True(schedule.Step <= trace.Step, $"the schedules part at step {schedule.Step}, the traces at {trace.Step}");
        Assert.True(JournalDiff.Compare(a, a).Identical);
    }

    [Fact]
    public void A_store_opened_read_only_refuses_to_write()
    {
        using var store = BindJournalStore.OpenReadOnly(journal.Database);
        var exploration = store.LoadExploration(journal.S02Exploration.ExplorationId);

        var refused = Assert.ThrowsAny<Exception>(() => store.SaveExploration(exploration with { ExplorationId = BindJournalIds.NewExploration() }));
        Assert.Matches("(?i)read-?only", refused.ToString());
        Assert.Equal(2, store.ListExplorations(new JournalFilter()).Items.Count());
    }

    private static string? Phase(JsonElement e) => e.GetProperty("ph").GetString();

    private static int Pid(JsonElement e) => e.GetProperty("pid").GetInt32();

    private static int Tid(JsonElement e) => e.TryGetProperty("tid", out var tid) ? tid.GetInt32() : 0;

    private static double Ts(JsonElement e) => e.GetProperty("ts").GetDouble();

    [GeneratedRegex("""^  "(?<name>(?:[^"\\]|\\.)*)"(?: \[[^\]]*\])?;$""", RegexOptions.Multiline)]
    private static partial Regex NodeLine();

    [GeneratedRegex("""^  "(?<from>(?:[^"\\]|\\.)*)" -> "(?<to>(?:[^"\\]|\\.)*)" \[label="(?:schedule \d+ )?step \d+ \(delivery \d+\)\\n[^"]*"[^\]]*\];$""", RegexOptions.Multiline)]
    private static partial Regex EdgeLine();
}
