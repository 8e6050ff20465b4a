using Npgsql;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>Recognises a PostgreSQL journal target: a <c>postgres://</c> / <c>postgresql://</c> URL or an Npgsql connection string.</summary>
public static class PostgresTarget
{
    public static bool TryParse(string target, out string connectionString)
    {
        connectionString = "";
        if (target.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            connectionString = FromUrl(target);
            return true;
        }
        if (!target.Contains('=', StringComparison.Ordinal) || !target.Contains("host", StringComparison.OrdinalIgnoreCase))
            return false;
        try
        {
            connectionString = new NpgsqlConnectionStringBuilder(target).ConnectionString;
            return true;
        }
        catch (ArgumentException e)
        {
            throw new InputException($"--journal: '{target}' is not a valid PostgreSQL connection string: {e.Message}");
        }
    }

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new InputException($"--journal: '{url}' is not a valid PostgreSQL URL (postgres://user[:password]@host[:port]/database)");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        return builder.ConnectionString;
    }
}
