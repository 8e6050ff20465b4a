using System.CommandLine;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// <c>gpuvmsim debug journal-writer (--db PATH | --postgres CONNECTION [--schema NAME]) [--count N] [--pids K]</c>:
/// persists <see cref="JournalProbe"/> events one atomic write at a time, round-robin over K persistence ids,
/// and after each write returns successfully prints <c>ack &lt;pid&gt; &lt;seq&gt;</c> and flushes stdout. The crash
/// test kills it with SIGKILL mid-stream and checks that every acknowledged event is in the journal.
/// Resumes each persistence id after its highest stored sequence number.
/// </summary>
internal static class JournalWriterCommand
{
    public static Command Create()
    {
        var db = new Option<string?>("--db") { Description = "SQLite journal file" };
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string (instead of --db)" };
        var schema = new Option<string?>("--schema") { Description = "PostgreSQL schema (default: the search path)" };
        var count = new Option<int>("--count") { Description = "atomic writes to make", DefaultValueFactory = _ => 1000 };
        var pids = new Option<int>("--pids") { Description = "persistence ids to rotate over", DefaultValueFactory = _ => 3 };
        var command = new Command("journal-writer", "Persist probe events one write at a time, printing 'ack PID SEQ' after each.")
        {
            db, postgres, schema, count, pids,
        };
        command.SetGuardedAction(parse =>
        {
            var settings = (parse.GetValue(db), parse.GetValue(postgres)) switch
            {
                ({ } path, null) => JournalSettings.ForSqlite(path),
                (null, { } connection) => JournalSettings.ForPostgres(connection, parse.GetValue(schema)),
                _ => throw new InputException("debug journal-writer: give exactly one of --db and --postgres"),
            };
            var n = parse.GetValue(count);
            var k = parse.GetValue(pids);
            if (n < 0 || k < 1)
                throw new InputException("debug journal-writer: --count must be >= 0 and --pids >= 1");
            Run(settings, n, k, Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The probe events' registry; the crash test reads the journal back with it.</summary>
    public static EventRegistry Registry() => new EventRegistry().Register<JournalProbe>(JournalProbe.Manifest);

    public static string PersistenceId(int index) => $"probe-{index}";

    private static void Run(JournalSettings settings, int count, int pidCount, TextWriter acks)
    {
        using var journal = Journal.Open(settings, Registry());
        var next = Enumerable.Range(0, pidCount).Select(i => journal.ReadHighestSequenceNr(PersistenceId(i)) + 1).ToArray();
        for (var i = 0; i < count; i++)
        {
            var p = i % pidCount;
            var pid = PersistenceId(p);
            var seq = next[p]++;
            var probe = new JournalProbe(pid, seq, $"probe {pid}#{seq} " + new string('.', (int)(seq % 64)));
            journal.WriteMessages([new AtomicWrite(new PersistentRepr(pid, seq, probe) { Tags = seq % 5 == 0 ? ["fifth"] : [] })])[0].EnsurePersisted();
            acks.WriteLine($"ack {pid} {seq}");
            acks.Flush();
        }
    }
}

/// <summary>The event <c>debug journal-writer</c> persists; its fields let a reader check it is the right one.</summary>
internal sealed record JournalProbe(string Pid, long Seq, string Text)
{
    public const string Manifest = "debug-journal-probe.v1";
}
