using System.Security.Cryptography;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Settings;
using Microsoft.Data.Sqlite;

namespace Gpuvmsim.Tests.Persistence.Sqlite;

/// <summary>
/// A damaged or foreign file is refused with an <see cref="UnusableDatabaseException"/> naming it, and is never
/// modified, recreated or initialized — whatever <c>auto-initialize</c> says.
/// </summary>
public sealed class SqliteCorruptionSpec : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Db => _directory.File("journal.db");

    /// <summary>Writes 3 000 events over a few hundred pages and closes the journal (its WAL is checkpointed away).</summary>
    private void WriteJournal()
    {
        using (var journal = Journal.OpenSqlite(Db, TestEvents.Registry()))
        {
            var writes = Enumerable.Range(1, 3000).Select(i => new AtomicWrite(new PersistentRepr($"vm-{i % 7}", i / 7 + 1, new Note(new string('x', 200))) { Tags = ["t"] })).ToArray();
            Assert.All(journal.WriteMessages(writes), r => r.EnsurePersisted());
        }
        Assert.False(File.Exists(Db + "-wal"), "closing the last connection checkpoints and removes the WAL");
    }

    private static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));

    private void AssertRefusedAndUntouched(string expectedWording)
    {
        var before = Hash(Db);
        var length = new FileInfo(Db).Length;

        var journal = Assert.Throws<UnusableDatabaseException>(() => Journal.Open(JournalSettings.ForSqlite(Db), TestEvents.Registry()));
        var snapshots = Assert.Throws<UnusableDatabaseException>(() => SnapshotStore.Open(SnapshotStoreSettings.ForSqlite(Db), TestEvents.Registry()));

        Assert.Contains(Db, journal.Message);
        Assert.Contains(expectedWording, journal.Message);
        Assert.Contains("left untouched", journal.Message);
        Assert.Equal(Db, journal.Database);
        Assert.Equal(Db, snapshots.Database);
        Assert.IsAssignableFrom<InputException>(journal);
        Assert.Equal(length, new FileInfo(Db).Length);
        Assert.Equal(before, Hash(Db));
    }

    [Fact]
    public void Journal_truncated_to_half_is_refused_and_left_byte_for_byte_untouched()
    {
        WriteJournal();
        using (var file = new FileStream(Db, FileMode.Open, FileAccess.ReadWrite))
            file.SetLength(file.Length / 2);

        AssertRefusedAndUntouched("corrupt or truncated");
    }

    [Fact]
    public void Journal_with_bytes_overwritten_in_the_middle_is_refused_and_left_untouched()
    {
        WriteJournal();
        using (var file = new FileStream(Db, FileMode.Open, FileAccess.ReadWrite))
        {
            var pages = file.Length / 4096;
            file.Position = pages / 2 * 4096;
            file.Write(Enumerable.Repeat((byte)0xA5, 512).ToArray());
        }

        AssertRefusedAndUntouched("corrupt or truncated");
    }

    [Fact]
    public void File_that_is_not_a_database_is_refused_and_left_untouched()
    {
        File.WriteAllText(Db, "journal: these are my notes, not a SQLite database\n");

        AssertRefusedAndUntouched("not a SQLite database");
    }

    [Fact]
    public void File_with_a_damaged_header_is_refused_and_left_untouched()
    {
        WriteJournal();
        using (var file = new FileStream(Db, FileMode.Open, FileAccess.ReadWrite))
            file.Write("SQLite format 4\0"u8);

        AssertRefusedAndUntouched("not a SQLite database");
    }

    [Fact]
    public void Damaged_payload_in_a_healthy_file_names_file_sequence_and_pid_on_replay()
    {
        WriteJournal();
        using (var connection = SqliteRaw.Open(Db))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE journal SET message = X'7B2262726F6B656E' WHERE persistence_id = 'vm-3' AND sequence_number = 2";
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        using var journal = Journal.OpenSqlite(Db, TestEvents.Registry());

        var e = Assert.Throws<UnreadableEventException>(() => journal.ReplayMessages("vm-3", 1, long.MaxValue, long.MaxValue, _ => { }));

        Assert.Contains(Db, e.Message);
        Assert.Contains("sequence 2 of pid 'vm-3'", e.Message);
        Assert.Equal(("vm-3", 2L), (e.PersistenceId, e.SequenceNr));
    }

    [Fact]
    public void Empty_file_is_a_new_database_and_gets_initialized()
    {
        File.WriteAllBytes(Db, []);

        using var journal = Journal.OpenSqlite(Db, TestEvents.Registry());

        Assert.True(journal.WriteMessages([new AtomicWrite(new PersistentRepr("p", 1, new Note("n")))])[0].IsPersisted);
    }

    [Fact]
    public void Empty_file_opened_without_initializing_is_named_empty_and_left_untouched()
    {
        File.WriteAllBytes(Db, []);

        var e = Assert.Throws<UnusableDatabaseException>(() => Journal.Open(JournalSettings.ForSqlite(Db) with { AutoInitialize = false }, TestEvents.Registry()));

        Assert.Contains($"{Db}: the file is empty (0 bytes), not a journal database", e.Message);
        Assert.Equal(0, new FileInfo(Db).Length);
    }

    [Fact]
    public void Rows_breaking_the_unique_index_of_a_file_that_lost_it_are_refused_and_left_untouched()
    {
        WriteJournal();
        Execute("DROP INDEX journal_uq; INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) " +
                "SELECT deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid FROM journal WHERE persistence_id = 'vm-3' AND sequence_number = 2");

        var before = Hash(Db);

        var e = Assert.Throws<UnusableDatabaseException>(() => Journal.OpenSqlite(Db, TestEvents.Registry()));

        Assert.Contains($"{Db}: the tables do not have the journal's layout (SQLite Error 19: 'UNIQUE constraint failed", e.Message);
        Assert.Equal(before, Hash(Db));
    }

    [Fact]
    public void A_journal_table_missing_a_column_is_refused_on_the_first_query_naming_the_file_and_the_column()
    {
        WriteJournal();
        Execute("ALTER TABLE journal RENAME COLUMN manifest TO manifesto");
        var before = Hash(Db);
        using var journal = Journal.Open(JournalSettings.ForSqlite(Db) with { AutoInitialize = false }, TestEvents.Registry());

        var e = Assert.Throws<UnusableDatabaseException>(() => journal.ReplayMessages("vm-3", 1, long.MaxValue, long.MaxValue, _ => { }));

        Assert.Contains($"{Db}: the tables do not have the journal's layout", e.Message);
        Assert.Contains("no such column: manifest", e.Message);
        journal.Dispose();
        Assert.Equal(before, Hash(Db));
    }

    private void Execute(string sql)
    {
        using var connection = SqliteRaw.Open(Db);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
