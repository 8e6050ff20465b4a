namespace Gpuvmsim.Configuration;

/// <summary>The formats a configuration file can be written in.</summary>
internal enum ConfigSyntax
{
    Hocon,
    /// <summary>Strict JSON (<see cref="JsonParser"/>).</summary>
    Json,
    /// <summary>Java properties (<see cref="PropertiesParser"/>).</summary>
    Properties,
}

/// <summary>Parses a document in its syntax.</summary>
internal static class Documents
{
    /// <summary>
    /// How deep objects and arrays may nest (a path key counts one level per element). The parsers, merger, resolver
    /// and renderer recurse per level, so deeper input would overflow the stack and kill the process.
    /// </summary>
    public const int MaxNesting = 256;

    /// <summary>
    /// The syntax the reference implementation gives a file it opens by name: <c>.json</c> and <c>.properties</c> by
    /// their (case-sensitive) extension, HOCON otherwise.
    /// </summary>
    public static ConfigSyntax SyntaxOf(string fileName) =>
        fileName.EndsWith(".json", StringComparison.Ordinal) ? ConfigSyntax.Json
        : fileName.EndsWith(".properties", StringComparison.Ordinal) ? ConfigSyntax.Properties
        : ConfigSyntax.Hocon;

    /// <summary>True when <paramref name="fileName"/> ends in one of the extensions the reference knows.</summary>
    public static bool HasKnownExtension(string fileName) =>
        fileName.EndsWith(".conf", StringComparison.Ordinal) || SyntaxOf(fileName) != ConfigSyntax.Hocon;

    public static HoconObject Parse(string text, IncludeContext context, HoconPath prefix, ConfigSyntax syntax) => syntax switch
    {
        ConfigSyntax.Json => JsonParser.ParseDocument(text, context.SourceName),
        ConfigSyntax.Properties => PropertiesParser.ParseDocument(text, context.SourceName),
        _ => Parser.ParseDocument(text, context, prefix),
    };
}
