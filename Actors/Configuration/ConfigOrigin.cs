namespace Gpuvmsim.Configuration;

/// <summary>
/// Where a configuration value or field was written: the file (or a name such as <c>&lt;string&gt;</c>
/// for text parsed without a file), and the 1-based line and column of its first character.
/// Rendered as <c>file:line:column</c>, the prefix every configuration error message starts with.
/// </summary>
public sealed record ConfigOrigin(string Source, int Line, int Column)
{
    /// <summary>The name used for text that did not come from a file.</summary>
    public const string StringSource = "<string>";

    public override string ToString() => $"{Source}:{Line}:{Column}";
}
