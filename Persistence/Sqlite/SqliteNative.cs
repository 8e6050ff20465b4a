using System.Runtime.InteropServices;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// The per-column getters of SQLite, called directly on the native library SQLitePCLRaw itself loads
/// (<c>e_sqlite3</c>, resolved the same way) with a raw statement pointer and no GC transition. Through
/// SQLitePCL each getter costs a SafeHandle add-ref/release and a GC transition, several times the getter
/// itself; replay calls eight of them per row. Only these short, non-blocking, non-reentrant functions are
/// called this way — the contract <see cref="SuppressGCTransitionAttribute"/> requires; preparing, binding,
/// stepping and resetting stay on SQLitePCL with its error handling.
/// </summary>
internal static unsafe class SqliteNative
{
    private const string Library = "e_sqlite3";

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_column_type(IntPtr statement, int column);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern long sqlite3_column_int64(IntPtr statement, int column);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_column_int(IntPtr statement, int column);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern byte* sqlite3_column_blob(IntPtr statement, int column);

    [DllImport(Library, ExactSpelling = true), SuppressGCTransition]
    public static extern int sqlite3_column_bytes(IntPtr statement, int column);

    /// <summary>The column's bytes (text as UTF-8), valid until the statement steps or resets; empty for NULL.</summary>
    public static ReadOnlySpan<byte> Bytes(IntPtr statement, int column)
    {
        // sqlite3_column_blob first, then sqlite3_column_bytes: the order SQLite documents for a stable length.
        var pointer = sqlite3_column_blob(statement, column);
        return pointer is null ? default : new ReadOnlySpan<byte>(pointer, sqlite3_column_bytes(statement, column));
    }
}
