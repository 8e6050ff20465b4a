namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// The accepted values of <c>provider-name</c>: linq2db's provider names as Akka.Persistence.Sql configurations
/// spell them. The SQLite names all mean Microsoft.Data.Sqlite; the PostgreSQL names all mean Npgsql.
/// </summary>
public static class ProviderNames
{
    /// <summary>SQLite through Microsoft.Data.Sqlite (the embedded default).</summary>
    public const string SqliteMs = "SQLite.MS";

    /// <summary>linq2db's generic SQLite name.</summary>
    public const string Sqlite = "SQLite";

    /// <summary>linq2db's System.Data.SQLite name; the file format is the same.</summary>
    public const string SqliteClassic = "SQLite.Classic";

    /// <summary>PostgreSQL 15 and later (the plugin's recommended name).</summary>
    public const string PostgreSql15 = "PostgreSQL.15";

    /// <summary>Every accepted name and the store it selects.</summary>
    internal static IReadOnlyDictionary<string, StoreKind> Known { get; } = new Dictionary<string, StoreKind>(StringComparer.Ordinal)
    {
        [SqliteMs] = StoreKind.Sqlite,
        [Sqlite] = StoreKind.Sqlite,
        [SqliteClassic] = StoreKind.Sqlite,
        ["PostgreSQL"] = StoreKind.PostgreSql,
        ["PostgreSQL.9.2"] = StoreKind.PostgreSql,
        ["PostgreSQL.9.3"] = StoreKind.PostgreSql,
        ["PostgreSQL.9.5"] = StoreKind.PostgreSql,
        ["PostgreSQL.13"] = StoreKind.PostgreSql,
        [PostgreSql15] = StoreKind.PostgreSql,
    };
}

/// <summary>The two stores behind the provider names.</summary>
internal enum StoreKind
{
    Sqlite,
    PostgreSql,
}
