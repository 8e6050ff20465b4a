using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// One prepared SQLite statement used directly through SQLitePCL: parameters bound by index, columns read as
/// spans without copying. The store prepares each statement once per connection and reuses it
/// (<see cref="SqliteDatabase.Prepare"/>). Errors surface as Microsoft.Data.Sqlite's <see cref="SqliteException"/>,
/// exactly as its own commands report them. Not thread-safe: used under the database's gate only.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    // The native pointer behind _stmt, for the column getters of SqliteNative; valid until Dispose.
    private readonly IntPtr _native;

    // The last string decoded per column: rows of one page mostly repeat their manifest, writer and
    // persistence id, so comparing bytes saves an allocation per row.
    private readonly string?[] _lastText;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK || stmt is null)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        _stmt = stmt!;
        _native = _stmt.DangerousGetHandle();
        _lastText = new string?[Math.Max(raw.sqlite3_column_count(_stmt), 0)];
    }

    /// <summary>Resets the statement and clears its parameters, ready for a new execution.</summary>
    public SqliteStatement Start()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
        return this;
    }

    public SqliteStatement Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public SqliteStatement Bind(int index, string value) => Check(raw.sqlite3_bind_text(_stmt, index, value));

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(_stmt, index, blob));

    public SqliteStatement BindNull(int index) => Check(raw.sqlite3_bind_null(_stmt, index));

    /// <summary>Runs the statement to its next row.</summary>
    /// <returns>True when a row is available; false when the statement is done.</returns>
    /// <exception cref="SqliteException">SQLite reported an error (the statement is reset).</exception>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW)
            return true;
        if (rc == raw.SQLITE_DONE)
            return false;
        raw.sqlite3_reset(_stmt);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Runs a statement that returns no rows, then resets it.</summary>
    public void Execute()
    {
        while (Step())
        {
        }
        raw.sqlite3_reset(_stmt);
    }

    /// <summary>Runs a one-value query: the first column of the first row, or null when no row or NULL.</summary>
    public long? ExecuteScalarInt64()
    {
        long? value = Step() && !IsNull(0) ? Int64(0) : null;
        raw.sqlite3_reset(_stmt);
        return value;
    }

    public bool IsNull(int column) => SqliteNative.sqlite3_column_type(_native, column) == raw.SQLITE_NULL;

    public long Int64(int column) => SqliteNative.sqlite3_column_int64(_native, column);

    public int? NullableInt32(int column) => IsNull(column) ? null : SqliteNative.sqlite3_column_int(_native, column);

    /// <summary>The column's bytes, valid until the next <see cref="Step"/> or reset.</summary>
    public ReadOnlySpan<byte> Blob(int column) => SqliteNative.Bytes(_native, column);

    /// <summary>The column as a string (null for NULL), reusing the previous row's string when the bytes are equal.</summary>
    public string? Text(int column)
    {
        if (IsNull(column))
            return null;
        var bytes = Blob(column);
        var last = _lastText[column];
        if (last is not null && last.Length == bytes.Length && Ascii.Equals(bytes, last))
            return last;
        return _lastText[column] = Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Resets the statement so it holds no read lock; cheap, called after each use.</summary>
    public void Reset() => raw.sqlite3_reset(_stmt);

    public void Dispose() => _stmt.Dispose();

    private SqliteStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }
}
