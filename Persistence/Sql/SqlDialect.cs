namespace Gpuvmsim.Persistence.Sql;

/// <summary>The few spellings that differ between the SQLite and PostgreSQL statements the stores share.</summary>
internal sealed class SqlDialect
{
    private readonly char _open;
    private readonly char _close;
    private readonly string _parameterPrefix;
    private readonly string _notIndexed;

    private SqlDialect(char open, char close, string parameterPrefix, string trueLiteral, string falseLiteral, string ordinal, string notIndexed)
    {
        Ordinal = ordinal;
        _notIndexed = notIndexed;
        _open = open;
        _close = close;
        _parameterPrefix = parameterPrefix;
        True = trueLiteral;
        False = falseLiteral;
    }

    /// <summary>SQLite: <c>[name]</c>, <c>?1</c>, booleans stored as 1/0 (as linq2db stores them).</summary>
    public static SqlDialect Sqlite { get; } = new('[', ']', "?", "1", "0", "", "+");

    /// <summary>PostgreSQL: <c>"name"</c>, <c>$1</c>, <c>TRUE</c>/<c>FALSE</c>.</summary>
    public static SqlDialect Postgres { get; } = new('"', '"', "$", "TRUE", "FALSE", " COLLATE \"C\"", "");

    public string True { get; }

    /// <summary>Appended to a text expression to compare and sort it by code point, as C#'s ordinal comparison does (SQLite's default BINARY already does).</summary>
    public string Ordinal { get; }

    public string False { get; }

    /// <summary>
    /// <paramref name="column"/> in a form the planner will not look up through an index. SQLite, which has no
    /// statistics, otherwise answers "tag = ? … ORDER BY ordering_id LIMIT n" through <c>tags_tag_idx</c> and sorts
    /// every row of the tag for every page (quadratic over a query); its unary <c>+</c> makes it walk the primary
    /// key (ordering_id, tag) instead, which is ordered and stops at the page's limit. PostgreSQL plans from its
    /// statistics and needs no hint.
    /// </summary>
    public string NotIndexed(string column) => _notIndexed + column;

    /// <summary>A quoted identifier (settings reject names containing quote characters).</summary>
    public string Quote(string name) => $"{_open}{name}{_close}";

    /// <summary>A quoted table name, schema-qualified when a schema is given.</summary>
    public string Table(string? schema, string table) => schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";

    /// <summary>The positional parameter <paramref name="index"/> (1-based).</summary>
    public string P(int index) => _parameterPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
