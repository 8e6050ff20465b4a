namespace Gpuvmsim.Configuration;

internal enum IncludeKind
{
    /// <summary><c>include "name"</c>: a file here, since URLs and the classpath are not supported.</summary>
    Heuristic,
    File,
    Url,
    Classpath,
}

/// <summary>What an include statement asks for.</summary>
internal sealed record IncludeSpec(IncludeKind Kind, string Name, ConfigOrigin Origin, bool Required);

/// <summary>
/// The document being parsed: the name its origins carry, the directory its relative includes are found in,
/// and the full paths of the files that include it (to refuse include cycles).
/// </summary>
internal sealed record IncludeContext(string SourceName, bool IsFile, string BaseDirectory, IReadOnlyList<string> IncludeChain)
{
    /// <summary>
    /// True for a file included as <c>file("name")</c> with no directory in the name: the reference implementation
    /// then knows no directory for it, and finds none of its <c>include "relative"</c> files.
    /// </summary>
    public bool LosesRelativeIncludes { get; init; }

    public static IncludeContext ForFile(string path) =>
        new(path, IsFile: true, Path.GetDirectoryName(Path.GetFullPath(path))!, [Path.GetFullPath(path)]);

    /// <summary>Text without a file has no directory of its own: its relative includes use the working directory.</summary>
    public static IncludeContext ForString(string sourceName) =>
        new(sourceName, IsFile: false, Directory.GetCurrentDirectory(), []);
}

/// <summary>
/// Reads included files (HOCON.md, "Includes"): relative names are found next to the including file, never
/// through the working directory; a name not ending in <c>.conf</c>, <c>.json</c> or <c>.properties</c> loads
/// <c>name.properties</c>, <c>name.json</c> then <c>name.conf</c>, each in its syntax;
/// a missing file is an empty object unless <c>required(...)</c> asks for it; URLs and classpath
/// resources are refused with an error because this reader only knows files.
/// </summary>
internal static class IncludeLoader
{
    /// <summary>The included root object, or null when an optional include names no existing file.</summary>
    public static HoconObject? Load(IncludeSpec spec, IncludeContext context, HoconPath includePoint)
    {
        if (spec.Kind is IncludeKind.Url or IncludeKind.Classpath)
            throw ConfigErrors.IncludeNotSupported(spec.Origin, spec.Kind.ToString().ToLowerInvariant(), spec.Name);
        if (spec.Kind == IncludeKind.Heuristic && LooksLikeUrl(spec.Name))
            throw ConfigErrors.IncludeNotSupported(spec.Origin, "url", spec.Name);

        string name = spec.Name.StartsWith("file:", StringComparison.Ordinal) ? spec.Name["file:".Length..] : spec.Name;
        // Origins name an included file the way the user named the including one, plus the relative name.
        string displayPath = Path.IsPathRooted(name) || !context.IsFile
            ? name
            : Path.Combine(Path.GetDirectoryName(context.SourceName) ?? "", name);
        string fullPath = Path.GetFullPath(Path.Combine(context.BaseDirectory, name));

        if (context.LosesRelativeIncludes && spec.Kind == IncludeKind.Heuristic && !Path.IsPathRooted(name))
            return Missing(spec, name);
        // As in the reference, file("name.ext") is read in the syntax its extension names, "name.ext" always as HOCON.
        if (Documents.HasKnownExtension(name))
        {
            var syntax = spec.Kind == IncludeKind.File ? Documents.SyntaxOf(name) : ConfigSyntax.Hocon;
            return File.Exists(fullPath) ? LoadFile(fullPath, displayPath, syntax, spec, context, includePoint) : Missing(spec, displayPath);
        }

        // Any other name (even "name.txt") is completed with each known extension, never read as it is: every
        // file that exists is loaded in its syntax, HOCON last so it wins.
        HoconObject? merged = null;
        foreach (var extension in new[] { ".properties", ".json", ".conf" })
        {
            if (!File.Exists(fullPath + extension))
                continue;
            var loaded = LoadFile(fullPath + extension, displayPath + extension, Documents.SyntaxOf(extension), spec, context, includePoint);
            merged = merged is null ? loaded : (HoconObject)Merger.Merge(loaded, merged);
        }
        return merged ?? Missing(spec, displayPath);
    }

    private static HoconObject? Missing(IncludeSpec spec, string displayPath) =>
        spec.Required ? throw ConfigErrors.IncludeMissing(spec.Origin, displayPath) : null;

    private static bool LooksLikeUrl(string name)
    {
        int colon = name.IndexOf("://", StringComparison.Ordinal);
        return colon > 0 && name[..colon].All(char.IsAsciiLetter) && !name.StartsWith("file:", StringComparison.Ordinal);
    }

    private static HoconObject LoadFile(string fullPath, string displayPath, ConfigSyntax syntax, IncludeSpec spec, IncludeContext context, HoconPath includePoint)
    {
        if (context.IncludeChain.Contains(fullPath, StringComparer.Ordinal))
            throw ConfigErrors.IncludeCycle(spec.Origin, displayPath);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.IncludeUnreadable(spec.Origin, displayPath, e);
        }
        var child = new IncludeContext(displayPath, IsFile: true, Path.GetDirectoryName(fullPath)!, [.. context.IncludeChain, fullPath])
        {
            LosesRelativeIncludes = spec.Kind == IncludeKind.File && !spec.Name.Contains('/', StringComparison.Ordinal),
        };
        return Documents.Parse(text, child, includePoint, syntax);
    }
}
