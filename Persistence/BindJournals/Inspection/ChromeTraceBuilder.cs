using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gpuvmsim.Persistence.BindJournals.Inspection;

/// <summary>
/// A run as a Chrome Trace Event Format document (conventions.md §6.1), for Perfetto UI or chrome://tracing:
/// <list type="bullet">
/// <item>one process for the execution contexts, one for the other world actors; one track (tid) per actor, named by <c>thread_name</c>;</item>
/// <item>each delivery a complete (<c>X</c>) slice on its receiver's track, named by message type;</item>
/// <item>each lock hold a <c>B</c>/<c>E</c> slice on its holder's track, named by lock (holds that do not nest with the
/// others go to an extra track of that holder, as duration events must nest);</item>
/// <item>each message a flow arrow (<c>s</c>/<c>f</c>, id = step + 1) from the sender's latest delivery before it — the runtime
/// does not journal sends, and an actor sends while handling a delivery — to its own delivery;</item>
/// <item>each finding a global instant (<c>i</c>) at its step.</item>
/// </list>
/// <c>ts</c> is virtual time in µs plus 1 µs per delivery, so deliveries at one virtual instant keep their order.
/// </summary>
public static class ChromeTraceBuilder
{
    private const int ContextsPid = 1;
    private const int WorldPid = 2;
    private const double DeliveryDuration = 0.8;
    private const double FlowOffset = 0.4;
    private const string NoSender = "/deadLetters";

    public static string Build(RunTimeline timeline)
    {
        var clock = new VirtualClock(timeline.Deliveries);
        var tracks = new Tracks();
        var events = new List<TraceEvent>();
        var latestDelivery = new Dictionary<string, long>(StringComparer.Ordinal);
        var started = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in timeline.Deliveries)
        {
            var receiver = tracks.Of(d.Receiver);
            var at = clock.At(d.Step);
            events.Add(new TraceEvent('X', receiver, at, d.MessageType, "msg") { Duration = DeliveryDuration, Delivery = d });
            if (d.Sender != NoSender)
            {
                var sender = tracks.Of(d.Sender);
                double sentAt;
                if (latestDelivery.TryGetValue(d.Sender, out var previous))
                    sentAt = clock.At(previous) + FlowOffset;
                else
                {
                    // An actor sending before it ever received (the world spawning contexts): a slice to bind the arrow to.
                    if (started.Add(d.Sender))
                        events.Add(new TraceEvent('X', sender, 0, "start", "msg") { Duration = DeliveryDuration });
                    sentAt = FlowOffset;
                }
                events.Add(new TraceEvent('s', sender, sentAt, d.MessageType, "flow") { FlowId = d.Step + 1 });
                events.Add(new TraceEvent('f', receiver, at + FlowOffset, d.MessageType, "flow") { FlowId = d.Step + 1 });
            }
            latestDelivery[d.Receiver] = d.Step;
        }
        foreach (var (hold, lane) in Lanes(timeline.Holds))
        {
            var track = tracks.Of(hold.Holder, lane);
            var name = timeline.LockName(hold.Lock);
            var (from, to) = (clock.At(hold.FromStep), clock.At(hold.ToStep));
            events.Add(new TraceEvent('B', track, from, name, "lock") { Hold = hold, Other = to });
            events.Add(new TraceEvent('E', track, to, name, "lock") { Other = from });
        }
        foreach (var finding in timeline.Header.Findings)
        {
            var step = Math.Clamp(finding.Step - 1, 0, clock.End);
            events.Add(new TraceEvent('i', tracks.Of("/user/world"), clock.At(step), $"{finding.Kind}: {finding.Summary}", "finding"));
        }
        return Write(timeline, tracks, [.. events.OrderBy(e => e.Track.Pid).ThenBy(e => e.Track.Tid).ThenBy(e => e.Ts).ThenBy(e => e.Rank).ThenBy(e => e.Secondary)]);
    }

    /// <summary>Puts each hold on the first lane of its holder where it nests with (or is disjoint from) every hold already there.</summary>
    private static IEnumerable<(LockHold Hold, int Lane)> Lanes(IReadOnlyList<LockHold> holds)
    {
        var lanes = new Dictionary<string, List<List<LockHold>>>(StringComparer.Ordinal);
        foreach (var hold in holds.OrderBy(h => h.FromStep).ThenByDescending(h => h.ToStep))
        {
            if (!lanes.TryGetValue(hold.Holder, out var holderLanes))
                lanes[hold.Holder] = holderLanes = [];
            var lane = holderLanes.FindIndex(l => l.All(other => Nests(hold, other)));
            if (lane < 0)
            {
                holderLanes.Add([]);
                lane = holderLanes.Count - 1;
            }
            holderLanes[lane].Add(hold);
            yield return (hold, lane);
        }
    }

    private static bool Nests(LockHold a, LockHold b) =>
        a.ToStep <= b.FromStep || b.ToStep <= a.FromStep ||
        (a.FromStep >= b.FromStep && a.ToStep <= b.ToStep) || (b.FromStep >= a.FromStep && b.ToStep <= a.ToStep);

    private static string Write(RunTimeline timeline, Tracks tracks, IReadOnlyList<TraceEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false }))
        {
            var header = timeline.Header;
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartObject("metadata");
            w.WriteString("journal_id", header.JournalId);
            w.WriteString("scenario", header.Setup.Scenario);
            w.WriteString("design", header.Setup.Design);
            w.WriteString("schedule", header.Schedule);
            w.WriteString("trace_sha256", header.TraceSha256);
            w.WriteString("clock", "ts = virtual time in µs + 1 µs per delivery");
            if (timeline.Analysis.Problem is { } problem)
                w.WriteString("note", problem);
            w.WriteEndObject();
            w.WriteStartArray("traceEvents");
            foreach (var (pid, name) in new[] { (ContextsPid, "execution contexts"), (WorldPid, "world actors") })
            {
                Metadata(w, pid, null, "process_name", name);
                Metadata(w, pid, null, "process_sort_index", pid);
            }
            foreach (var track in tracks.All)
            {
                Metadata(w, track.Pid, track.Tid, "thread_name", track.Name);
                Metadata(w, track.Pid, track.Tid, "thread_sort_index", track.Tid);
            }
            foreach (var e in events)
                WriteEvent(w, e);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Metadata(Utf8JsonWriter w, int pid, int? tid, string name, object value)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteNumber("pid", pid);
        if (tid is { } t)
            w.WriteNumber("tid", t);
        w.WriteString("name", name);
        w.WriteStartObject("args");
        if (value is int number)
            w.WriteNumber("sort_index", number);
        else
            w.WriteString("name", (string)value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter w, TraceEvent e)
    {
        w.WriteStartObject();
        w.WriteString("ph", e.Phase.ToString());
        w.WriteString("name", e.Name);
        w.WriteString("cat", e.Category);
        w.WriteNumber("pid", e.Track.Pid);
        w.WriteNumber("tid", e.Track.Tid);
        w.WriteNumber("ts", e.Ts);
        switch (e.Phase)
        {
            case 'X':
                w.WriteNumber("dur", e.Duration);
                if (e.Delivery is { } d)
                {
                    w.WriteStartObject("args");
                    w.WriteNumber("step", d.Step);
                    w.WriteNumber("virtual_ticks", d.VirtualTicks);
                    w.WriteString("from", d.Sender);
                    w.WriteString("to", d.Receiver);
                    w.WriteString("message", d.Message);
                    w.WriteEndObject();
                }
                break;
            case 's' or 'f':
                w.WriteNumber("id", e.FlowId);
                if (e.Phase == 'f')
                    w.WriteString("bp", "e");
                break;
            case 'B' when e.Hold is { } hold:
                w.WriteStartObject("args");
                w.WriteString("lock", hold.Lock);
                w.WriteNumber("from_step", hold.FromStep);
                w.WriteNumber("to_step", hold.ToStep);
                w.WriteBoolean("held_at_end", hold.HeldAtEnd);
                w.WriteEndObject();
                break;
            case 'i':
                w.WriteString("s", "g");
                break;
        }
        w.WriteEndObject();
    }

    private sealed record Track(int Pid, int Tid, string Name);

    /// <summary>One track per actor (and per extra lane of lock holds), numbered in order of first appearance.</summary>
    private sealed class Tracks
    {
        private readonly Dictionary<(string Path, int Lane), Track> byKey = [];

        public IEnumerable<Track> All => byKey.Values.OrderBy(t => t.Pid).ThenBy(t => t.Tid);

        public Track Of(string path, int lane = 0)
        {
            if (byKey.TryGetValue((path, lane), out var track))
                return track;
            var name = TraceDelivery.ActorName(path);
            var pid = name.StartsWith("ctx-", StringComparison.Ordinal) || name.StartsWith("worker-", StringComparison.Ordinal) ? ContextsPid : WorldPid;
            track = new Track(pid, byKey.Count + 1, lane == 0 ? name : $"{name} (locks, lane {lane + 1})");
            byKey[(path, lane)] = track;
            return track;
        }
    }

    /// <summary>Maps steps to <c>ts</c>: virtual µs since the first delivery, plus one per step, plus one (room for the start slices).</summary>
    private sealed class VirtualClock
    {
        private readonly Dictionary<long, double> byStep = [];

        public VirtualClock(IReadOnlyList<TraceDelivery> deliveries)
        {
            var origin = deliveries.Count == 0 ? 0 : deliveries[0].VirtualTicks;
            foreach (var d in deliveries)
                byStep[d.Step] = (d.VirtualTicks - origin) / 10.0 + d.Step + 1;
            End = deliveries.Count == 0 ? 0 : deliveries[^1].Step + 1;
        }

        /// <summary>The step after the last delivery.</summary>
        public long End { get; }

        public double At(long step) =>
            byStep.TryGetValue(step, out var ts) ? ts : byStep.Count == 0 ? step + 1 : byStep[End - 1] + (step - (End - 1));
    }

    /// <param name="Other">For B the end, for E the start of the hold (orders events that share a ts).</param>
    private sealed record TraceEvent(char Phase, Track Track, double Ts, string Name, string Category)
    {
        public double Duration { get; init; }
        public long FlowId { get; init; }
        public TraceDelivery? Delivery { get; init; }
        public LockHold? Hold { get; init; }
        public double Other { get; init; }

        /// <summary>At one ts: ends first, then begins, then slices, then arrows and instants.</summary>
        public int Rank => Phase switch { 'E' => 0, 'B' => 1, 'X' => 2, _ => 3 };

        /// <summary>Begins: the longest (outermost) first; ends: the latest begun (innermost) first.</summary>
        public double Secondary => Phase is 'B' or 'E' ? -Other : 0;
    }
}
