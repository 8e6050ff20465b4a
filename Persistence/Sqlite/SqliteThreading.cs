using SQLitePCL;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// Puts the process's SQLite library in multi-thread mode (<c>SQLITE_CONFIG_MULTITHREAD</c>) before its first use.
/// In the default serialized mode every API call — each column getter of each row read — takes and releases the
/// connection's mutex; that is a tenth of a replay's time. The store never needs it: a connection is used under
/// its database's gate, one thread at a time, which is all multi-thread mode asks (Microsoft.Data.Sqlite asks the
/// same of its connections). SQLite accepts the setting only before it initializes; when something in the process
/// opened a connection first, the call is refused and SQLite stays serialized, which is slower but equally correct.
/// </summary>
internal static class SqliteThreading
{
    private static readonly bool Configured = Configure();

    /// <summary>True when multi-thread mode took effect (false: SQLite was already initialized, serialized).</summary>
    public static bool EnsureConfigured() => Configured;

    private static bool Configure()
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;
    }
}
