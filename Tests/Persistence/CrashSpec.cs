using System.Diagnostics;
using Gpuvmsim.Host.Cli;
using Gpuvmsim.Tests.Host;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;
using Microsoft.Data.Sqlite;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>
/// Durability across a process kill: <c>gpuvmsim debug journal-writer</c> runs as a child process, prints
/// <c>ack PID SEQ</c> after each write returns, and is killed with SIGKILL in the middle of its stream. Every
/// acknowledged event must then be in the journal, readable, and the database must open cleanly.
/// </summary>
public sealed class CrashSpec : IDisposable
{
    private const int AcksBeforeKill = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Every_acknowledged_event_survives_SIGKILL_of_the_writer_on_sqlite()
    {
        var db = _directory.File("crash.db");

        var acked = await RunAndKill("--db", db);

        using (var check = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
        {
            check.Open();
            using var command = check.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", command.ExecuteScalar());
        }
        using var journal = Journal.OpenSqlite(db, JournalWriterCommand.Registry());
        AssertAllPresent(journal, acked);
    }

    [PostgresFact]
    public async Task Every_acknowledged_event_survives_SIGKILL_of_the_writer_on_postgres()
    {
        var schema = PostgresServer.NewSchemaName();
        try
        {
            var acked = await RunAndKill("--postgres", PostgresServer.ConnectionString!, "--schema", schema);

            using var journal = Journal.Open(PostgresServer.Journal(schema), JournalWriterCommand.Registry());
            AssertAllPresent(journal, acked);
        }
        finally
        {
            PostgresServer.DropSchema(schema);
        }
    }

    [Fact]
    public async Task Writer_on_a_damaged_file_exits_2_naming_the_file()
    {
        var db = _directory.File("notes.db");
        await File.WriteAllTextAsync(db, "not a database");

        using var process = Start("--db", db, "--count", "1");
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        await process.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"{db}: not a SQLite database", stderr);
        Assert.Equal("not a database", await File.ReadAllTextAsync(db));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Starts the writer, reads acks until <see cref="AcksBeforeKill"/>, kills it with SIGKILL, and returns every ack it printed.</summary>
    private static async Task<List<(string Pid, long Seq)>> RunAndKill(params string[] target)
    {
        using var process = Start([.. target, "--count", "1000000", "--pids", "3"]);
        var acked = new List<(string, long)>();
        while (acked.Count < AcksBeforeKill)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience)
                ?? throw new InvalidOperationException($"writer ended early: {await process.StandardError.ReadToEndAsync()}");
            acked.Add(ParseAck(line));
        }
        Assert.False(process.HasExited, "the writer must still be writing when it is killed");

        process.Kill();
        await process.WaitForExitAsync().WaitAsync(Patience);
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(Patience) is { } line)
            acked.Add(ParseAck(line));

        Assert.NotEqual(0, process.ExitCode);
        return acked;
    }

    private static void AssertAllPresent(IJournal journal, List<(string Pid, long Seq)> acked)
    {
        foreach (var group in acked.GroupBy(a => a.Pid))
        {
            var stored = new Dictionary<long, PersistentRepr>();
            journal.ReplayMessages(group.Key, 1, long.MaxValue, long.MaxValue, e => stored.Add(e.SequenceNr, e));
            foreach (var (pid, seq) in group)
            {
                Assert.True(stored.TryGetValue(seq, out var e), $"acknowledged event {pid}#{seq} is missing");
                var probe = Assert.IsType<JournalProbe>(e.Payload);
                Assert.Equal((pid, seq), (probe.Pid, probe.Seq));
            }
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Keys.Order());
        }
    }

    private static (string, long) ParseAck(string line)
    {
        var parts = line.Split(' ');
        Assert.True(parts is ["ack", _, _], $"unexpected writer output '{line}'");
        return (parts[1], long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Process Start(params string[] arguments) => GpuvmsimProcess.Start(["debug", "journal-writer", .. arguments]);
}
