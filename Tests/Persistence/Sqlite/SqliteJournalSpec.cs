using Gpuvmsim.Persistence.Settings;
using Microsoft.Data.Sqlite;

namespace Gpuvmsim.Tests.Persistence.Sqlite;

/// <summary>The journal contract on a SQLite file in a fresh temp directory.</summary>
public sealed class SqliteJournalSpec : JournalSpec
{
    private readonly TempDirectory _directory = new();

    protected override JournalSettings StoreSettings => JournalSettings.ForSqlite(_directory.File("journal.db"));

    protected override IReadOnlyList<(long SequenceNr, bool Deleted, string WriterUuid)> RawRows(string pid)
    {
        var rows = new List<(long, bool, string)>();
        using var connection = SqliteRaw.Open(_directory.File("journal.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number, deleted, writer_uuid FROM journal WHERE persistence_id = $pid ORDER BY sequence_number";
        command.Parameters.AddWithValue("$pid", pid);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetInt64(1) != 0, reader.GetString(2)));
        return rows;
    }

    protected override long RawTagRows(string pid)
    {
        using var connection = SqliteRaw.Open(_directory.File("journal.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tags WHERE persistence_id = $pid";
        command.Parameters.AddWithValue("$pid", pid);
        return (long)command.ExecuteScalar()!;
    }

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}

/// <summary>Direct, unpooled connections for tests that look at the file behind the store's back.</summary>
public static class SqliteRaw
{
    public static SqliteConnection Open(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
