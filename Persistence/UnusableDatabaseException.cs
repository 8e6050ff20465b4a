namespace Gpuvmsim.Persistence;

/// <summary>
/// The database cannot be used: the file is not a SQLite database, is truncated or corrupt, is missing while
/// <c>auto-initialize = false</c>, or lacks the journal tables. The message names the file (or the PostgreSQL
/// schema). The store never modifies, recreates or overwrites such a file.
/// </summary>
public sealed class UnusableDatabaseException : InputException
{
    internal UnusableDatabaseException(string message, string database, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Database = database;
    }

    /// <summary>The file path (SQLite) or server and schema (PostgreSQL) at fault.</summary>
    public string Database { get; }
}
