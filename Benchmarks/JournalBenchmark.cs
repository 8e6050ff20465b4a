using System.Diagnostics;
using System.Text.Json.Nodes;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// <c>gpuvmsim bench journal</c>: batched persistence of small events (≈100-byte JSON, 8 persistence ids
/// round-robin, one event per atomic write, a tag on every 4th) to a SQLite journal through <see cref="IJournal"/>,
/// against <see cref="RawSqliteInsertLoop"/> — plain prepared INSERTs of pre-serialized bytes into the same tables,
/// in transactions of the same batch size, on the same pragmas and page size — measured in the same run; then replay
/// of every event through <see cref="IJournal.ReplayMessages"/>, one persistence id after another (each id's rows are
/// spread over the whole table, one in eight). Only the store calls are timed (building the caller's
/// event objects, or the raw loop's byte arrays, is not). The two writers alternate in blocks of
/// <see cref="BlockSize"/> events, each into its own fresh temp database, so that both see the same noise of a
/// shared machine; the best of a few repetitions is reported. Last, <see cref="ExploreJournalOverhead"/>: the
/// slow-down of <c>explore --journal</c> over <c>explore</c>.
/// </summary>
public sealed class JournalBenchmark : IBenchmark
{
    /// <summary>Rows per write transaction, for the journal (<c>batch-size</c>) and the raw loop alike.</summary>
    public const int BatchSize = 1000;

    /// <summary>Events written by one side before the other side takes its turn.</summary>
    public const int BlockSize = 50_000;

    private const int PersistenceIds = 8;

    public string Name => "journal";

    public string Description =>
        $"SQLite journal: 1M small events batched through IJournal (batch-size {BatchSize}) vs a raw prepared-INSERT loop into the same tables; replay of all of them";

    public JsonObject Run(BenchmarkOptions options)
    {
        var events = options.Quick ? 20_000 : 1_000_000;
        var repetitions = options.Quick ? 1 : 3;
        var (journalBest, rawBest, replayBest) = (0.0, 0.0, 0.0);
        if (!options.Quick)
            JitWarmUp.Run("journal", options, WarmUpRound);
        for (var r = 1; r <= repetitions; r++)
        {
            using var directory = new BenchDirectory();
            var (written, raw) = Write(directory, events);
            options.Progress.WriteLine($"journal bench {r}/{repetitions}: raw insert {raw,12:N0} events/s, journal {written,12:N0} events/s ({written / raw:F3} of raw)");
            var replayed = Replay(directory.File("journal.db"), events);
            options.Progress.WriteLine($"journal bench {r}/{repetitions}: replay     {replayed,12:N0} events/s");
            (journalBest, rawBest, replayBest) = (Math.Max(journalBest, written), Math.Max(rawBest, raw), Math.Max(replayBest, replayed));
        }
        return new JsonObject
        {
            ["events_per_s"] = Math.Round(journalBest),
            ["raw_insert_per_s"] = Math.Round(rawBest),
            ["ratio_vs_raw"] = Math.Round(journalBest / rawBest, 3),
            ["replay_events_per_s"] = Math.Round(replayBest),
            ["explore_overhead"] = Math.Round(ExploreJournalOverhead.Measure(options), 3),
        };
    }

    /// <summary>Runs every measured path once on a small database, so that the measurements see JIT-compiled code.</summary>
    private static void WarmUpRound()
    {
        using var directory = new BenchDirectory();
        Write(directory, BlockSize);
        Replay(directory.File("journal.db"), BlockSize);
    }

    internal static EventRegistry Registry() => new EventRegistry().Register<BenchVaInserted>(BenchVaInserted.Manifest);

    internal static JournalSettings Settings(string path) =>
        JournalSettings.ForSqlite(path) with { BatchSize = BatchSize, ReplayBatchSize = 1000 };

    /// <summary>Writes the stream into journal.db through the journal and into raw.db with the raw loop, alternating blocks.</summary>
    /// <returns>Events per second of each side, counting only the time inside the store calls.</returns>
    private static (double Journal, double Raw) Write(BenchDirectory directory, int events)
    {
        using var raw = new RawSqliteInsertLoop(directory.File("raw.db"), PersistenceIds, BatchSize);
        using var journal = Journal.Open(Settings(directory.File("journal.db")), Registry());
        var writes = new AtomicWrite[BatchSize];
        var (journalTime, rawTime) = (TimeSpan.Zero, TimeSpan.Zero);
        Collect();
        for (var block = 0; block < events; block += BlockSize)
        {
            var count = Math.Min(BlockSize, events - block);
            rawTime += raw.Insert(block, count);
            journalTime += Persist(journal, writes, block, count);
        }
        return (events / journalTime.TotalSeconds, events / rawTime.TotalSeconds);
    }

    /// <summary>Persists events <paramref name="first"/>.. of the stream, <see cref="BatchSize"/> atomic writes per call.</summary>
    /// <returns>The time spent inside <see cref="IJournal.WriteMessages"/>.</returns>
    private static TimeSpan Persist(IJournal journal, AtomicWrite[] writes, int first, int count)
    {
        var timer = new Stopwatch();
        for (var start = first; start < first + count; start += BatchSize)
        {
            var n = Math.Min(BatchSize, first + count - start);
            for (var i = 0; i < n; i++)
            {
                var e = BenchVaInserted.Make(start + i, PersistenceIds, out var pid, out var seq, out var tagged);
                writes[i] = new AtomicWrite(new PersistentRepr(pid, seq, e) { Tags = tagged ? BenchVaInserted.Tags : [] });
            }
            var batch = n == BatchSize ? writes : writes[..n];
            timer.Start();
            var results = journal.WriteMessages(batch);
            timer.Stop();
            foreach (var result in results)
                result.EnsurePersisted();
        }
        return timer.Elapsed;
    }

    /// <summary>Replays every persistence id of the database from the start, touching each payload.</summary>
    private static double Replay(string path, int events)
    {
        using var journal = Journal.Open(Settings(path), Registry());
        long count = 0, checksum = 0;
        Collect();
        var timer = Stopwatch.StartNew();
        for (var p = 0; p < PersistenceIds; p++)
        {
            journal.ReplayMessages(BenchVaInserted.PersistenceId(p), 1, long.MaxValue, long.MaxValue, e =>
            {
                count++;
                checksum += ((BenchVaInserted)e.Payload).Bo;
            });
        }
        timer.Stop();
        if (count != events || checksum != BenchVaInserted.ExpectedBoSum(events))
            throw new InvalidOperationException($"replay read {count} events (checksum {checksum}), {events} were written");
        return count / timer.Elapsed.TotalSeconds;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>The benchmark's event: a VA range mapped, ≈100 bytes of JSON.</summary>
internal sealed record BenchVaInserted(long Va, long Range, int Bo, int Vm, string Op, string Flags)
{
    public const string Manifest = "bench-va-inserted.v1";

    public static readonly string[] Tags = ["bind"];

    public static string PersistenceId(int index) => PersistenceIdNames[index];

    private static readonly string[] PersistenceIdNames = Enumerable.Range(0, 64).Select(i => $"vm-{i}").ToArray();

    /// <summary>Event number <paramref name="n"/> (0-based) of the stream: its persistence id, sequence number and whether it is tagged.</summary>
    public static BenchVaInserted Make(int n, int persistenceIds, out string pid, out long seq, out bool tagged)
    {
        var p = n % persistenceIds;
        pid = PersistenceIdNames[p];
        seq = n / persistenceIds + 1;
        tagged = n % 4 == 0;
        return new BenchVaInserted(0x7FFF_0000_0000L + n * 0x20_0000L, 0x20_0000, BoOf(n), p, "map", "read|write|cached");
    }

    public static int BoOf(int n) => n % 100_003;

    public static long ExpectedBoSum(int events)
    {
        long sum = 0;
        for (var n = 0; n < events; n++)
            sum += BoOf(n);
        return sum;
    }
}

/// <summary>A fresh temp folder per repetition, deleted afterwards.</summary>
internal sealed class BenchDirectory : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("gpuvmsim-bench-").FullName;

    public string File(string name) => Path.Combine(_path, name);

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
