using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// DOC: one open SQLite database file of a store (journal or snapshot store), with its gate.
/// <para>
/// <b>Opening.</b> An existing, non-empty file is checked before anything can write to it: its first 16 bytes
/// must be the SQLite header, and <c>PRAGMA quick_check</c> on a read-only connection must answer <c>ok</c>
/// (SQLite itself reports a file shorter than its header's page count as corrupt). A file failing either
/// check raises <see cref="UnusableDatabaseException"/> naming it, and is left byte-for-byte untouched: it is
/// never initialized, recreated or overwritten. Only then is the read-write connection opened, put in WAL mode,
/// and — with <c>auto-initialize</c> — given the tables (<c>CREATE … IF NOT EXISTS</c>, idempotent, in one
/// <c>BEGIN IMMEDIATE</c> transaction so that concurrent processes initializing at once do not interleave).
/// </para>
/// <para>
/// <b>Durability: WAL with <c>synchronous = NORMAL</c>.</b> A transaction commits by appending its pages and a
/// commit frame to the <c>-wal</c> file with <c>write(2)</c>; <c>COMMIT</c> returns only after those writes
/// returned, and the store acknowledges a write only after <c>COMMIT</c> returned. Written bytes then belong
/// to the kernel's page cache, not to the process: if the process dies — even by SIGKILL, between any two
/// instructions — the kernel still holds them and later writes them to disk, and the next process to open
/// the file reads them through that same cache. WAL recovery on open keeps every frame up to the last
/// commit frame whose checksums hold, so every acknowledged transaction is there and a half-written one is
/// ignored: every acknowledged event survives a process kill and the file stays consistent. The price of
/// NORMAL against FULL is power loss or a kernel crash: WAL is fsync'ed only at checkpoints, so the
/// transactions committed since the last checkpoint may be lost (never corrupted) when the machine itself goes
/// down. FULL would fsync the WAL at every commit, costing one disk flush per batch.
/// </para>
/// <para>
/// <b>Concurrency.</b> One connection per store, used only under <see cref="Gate"/>: threads of this process
/// take turns, and other processes are waited for through <c>busy_timeout</c> (the connection string's
/// <c>Default Timeout</c>, 30 s unless given). Write transactions start with <c>BEGIN IMMEDIATE</c>, so a writer
/// waits for the write lock up front instead of failing on a lock upgrade.
/// </para>
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    // The same statements keyed by string instance: the SQL texts are fields of JournalSql/SnapshotSql, so a
    // reference lookup hits without hashing a few hundred characters for every inserted row.
    private readonly Dictionary<string, SqliteStatement> _byInstance = new(ReferenceEqualityComparer.Instance);
    private volatile bool _disposed;

    private SqliteDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
        Handle = connection.Handle!;
    }

    /// <summary>The file's full path (or <c>:memory:</c>), for messages.</summary>
    public string Path { get; }

    /// <summary>Serializes every use of the connection and its statements.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The native connection handle.</summary>
    public sqlite3 Handle { get; }

    /// <summary>
    /// Opens (and, when <paramref name="autoInitialize"/>, initializes) the database named by <paramref name="connectionString"/>.
    /// With <c>Mode=ReadOnly</c> the file must exist and have its tables; it is neither initialized nor switched to WAL.
    /// </summary>
    /// <param name="pageSize">The page size of a file this call creates (<see cref="SqlitePageSizes"/>); an existing file keeps its own.</param>
    /// <param name="schemaDdl">The <c>CREATE … IF NOT EXISTS</c> statements of the store's tables and indexes.</param>
    /// <param name="requiredTables">Tables that must exist when <paramref name="autoInitialize"/> is false.</param>
    /// <exception cref="UnusableDatabaseException">The file is not a database, is corrupt, or is missing its tables while auto-initialize is off.</exception>
    public static SqliteDatabase Open(string connectionString, bool autoInitialize, int pageSize, string schemaDdl, IReadOnlyList<string> requiredTables)
    {
        SqliteThreading.EnsureConfigured();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        var path = inMemory ? ":memory:" : System.IO.Path.GetFullPath(builder.DataSource);
        // Mode=ReadOnly in the connection string: an inspection that must leave the file as it found it.
        var readOnly = !inMemory && builder.Mode == SqliteOpenMode.ReadOnly;
        var initializes = autoInitialize && !readOnly;
        var creating = false;
        if (!inMemory)
        {
            var file = new FileInfo(path);
            creating = !(file.Exists && file.Length > 0);
            if (!creating)
                CheckIntact(path, builder);
            else if (!initializes)
                throw file.Exists ? JournalErrors.Empty(path) : JournalErrors.Missing(path);
            builder.DataSource = path;
            builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : autoInitialize ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite;
        }
        builder.Pooling = false;
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {Math.Max(builder.DefaultTimeout, 0) * 1000L};");
            // Before switching to WAL, which rewrites the header of a file that is not ours.
            if (!initializes)
            {
                var missing = requiredTables.Where(t => !TableExists(connection, t)).ToArray();
                if (missing.Length > 0)
                    throw JournalErrors.MissingTables(path, missing);
            }
            if (!readOnly)
            {
                // Only before the first table exists: WAL mode fixes the page size of a file from then on. Another
                // process creating the same file at this moment makes this a no-op, never an error.
                if (creating)
                    Execute(connection, $"PRAGMA page_size = {pageSize};");
                Execute(connection, "PRAGMA journal_mode = WAL;");
                Execute(connection, "PRAGMA synchronous = NORMAL;");
            }
            if (initializes)
                Initialize(connection, path, schemaDdl);
            return new SqliteDatabase(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Translate(path, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Takes the gate: waits asynchronously when <paramref name="async"/>, otherwise blocks.</summary>
    /// <returns>A handle whose disposal releases the gate.</returns>
    public async ValueTask<GateHandle> Enter(bool async, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (async)
            await Gate.WaitAsync(ct).ConfigureAwait(false);
        else
            Gate.Wait(ct);
        if (_disposed)
        {
            Gate.Release();
            throw new ObjectDisposedException(Path);
        }
        return new GateHandle(Gate);
    }

    /// <summary>The cached prepared statement for <paramref name="sql"/>, reset and with cleared parameters. Call under <see cref="Gate"/>.</summary>
    public SqliteStatement Prepare(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_byInstance.TryGetValue(sql, out var statement))
        {
            if (!_statements.TryGetValue(sql, out statement))
                _statements.Add(sql, statement = PrepareNew(sql));
            _byInstance[sql] = statement;
        }
        return statement.Start();
    }

    /// <exception cref="UnusableDatabaseException">The statement does not fit the file's tables (a column or table missing or renamed).</exception>
    private SqliteStatement PrepareNew(string sql)
    {
        try
        {
            return new SqliteStatement(Handle, sql);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_ERROR)
        {
            throw JournalErrors.WrongLayout(Path, e.Message, e);
        }
    }

    /// <summary>Starts a write transaction, waiting for other writers up to the busy timeout. Call under <see cref="Gate"/>.</summary>
    public void BeginWrite() => Prepare("BEGIN IMMEDIATE").Execute();

    /// <summary>Commits the open transaction: when this returns, the transaction survives a crash of the process.</summary>
    public void Commit() => Prepare("COMMIT").Execute();

    /// <summary>Rolls back the open transaction, if SQLite has not already done so; never throws.</summary>
    public void RollbackQuietly()
    {
        if (raw.sqlite3_get_autocommit(Handle) != 0)
            return;
        try
        {
            Prepare("ROLLBACK").Execute();
        }
        catch (SqliteException)
        {
            // The transaction is gone either way: SQLite rolls back on its own when ROLLBACK itself fails.
        }
    }

    /// <summary>Turns SQLite's "corrupt" and "not a database" errors into an <see cref="UnusableDatabaseException"/> naming the file.</summary>
    public Exception Translate(Exception e) => e is SqliteException s ? Translate(Path, s) : e;

    /// <summary>Waits for the operation in progress, if any, then closes the connection (checkpointing the WAL when it is the file's last).</summary>
    public void Dispose()
    {
        Gate.Wait();
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var statement in _statements.Values)
                statement.Dispose();
            _statements.Clear();
            _byInstance.Clear();
            _connection.Dispose();
        }
        finally
        {
            // Not disposed: a thread still waiting wakes up, sees _disposed and throws ObjectDisposedException.
            Gate.Release();
        }
    }

    private static Exception Translate(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => JournalErrors.Corrupt(path, e.Message, e),
        _ => e,
    };

    /// <summary>The header check and <c>quick_check</c> of an existing file, on a read-only connection that cannot change it.</summary>
    private static void CheckIntact(string path, SqliteConnectionStringBuilder original)
    {
        Span<byte> first = stackalloc byte[16];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false) < first.Length || !first.SequenceEqual(Header))
                throw JournalErrors.NotADatabase(path);
        }
        var readOnly = new SqliteConnectionStringBuilder(original.ToString()) { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(readOnly.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {Math.Max(original.DefaultTimeout, 0) * 1000L};");
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(5);";
            using var reader = command.ExecuteReader();
            var problems = new List<string>();
            while (reader.Read())
                problems.Add(reader.GetString(0));
            if (problems is not ["ok"])
                throw JournalErrors.Corrupt(path, "quick_check: " + string.Join("; ", problems));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB)
        {
            throw JournalErrors.Corrupt(path, e.Message, e);
        }
    }

    /// <summary>Creates the missing tables and indexes in one transaction; nothing of it stays when a statement fails.</summary>
    /// <exception cref="UnusableDatabaseException">The file's tables do not fit the store's (other columns, rows breaking a unique index).</exception>
    private static void Initialize(SqliteConnection connection, string path, string schemaDdl)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        try
        {
            Execute(connection, schemaDdl, tx);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is raw.SQLITE_ERROR or raw.SQLITE_CONSTRAINT)
        {
            throw JournalErrors.WrongLayout(path, e.Message, e);
        }
        tx.Commit();
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }
}

/// <summary>Releases a <see cref="SqliteDatabase.Gate"/> taken by <see cref="SqliteDatabase.Enter"/>.</summary>
internal readonly struct GateHandle(SemaphoreSlim gate) : IDisposable
{
    public void Dispose() => gate.Release();
}
