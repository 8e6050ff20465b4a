using System.Diagnostics.CodeAnalysis;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Entry points for reading HOCON (Lightbend HOCON.md). <c>Parse…</c> throws <see cref="InputException"/> on bad
/// input and leaves substitutions to be resolved at the first read (so <see cref="Config.WithFallback"/> can supply
/// them); <c>TryParse…</c> parses and resolves at once and reports the first error instead of throwing.
/// </summary>
public static class ConfigurationFactory
{
    /// <summary>The name <see cref="Default"/>'s origins carry, so an error in it reads <c>reference.conf:LINE:COLUMN</c>.</summary>
    public const string ReferenceName = "reference.conf";

    private static readonly Lazy<Config> Reference = new(LoadReference, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A configuration without settings.</summary>
    public static Config Empty => Config.Empty;

    /// <summary>
    /// <c>hocon/reference.conf</c>, embedded in this assembly: every setting gpuvmsim reads, with its default. The
    /// <c>FromConfig</c> binders put it under the configuration they are given (Akka's <c>ConfigurationFactory.Default()</c>).
    /// </summary>
    public static Config Default() => Reference.Value;

    /// <summary>
    /// Parses HOCON text. Error messages and origins name it <paramref name="originName"/> (default <c>&lt;string&gt;</c>);
    /// relative includes are found from the working directory, as the text has no file of its own.
    /// </summary>
    public static Config ParseString(string text, string? originName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var context = IncludeContext.ForString(originName ?? ConfigOrigin.StringSource);
        return new Config(Parser.ParseDocument(text, context, HoconPath.Root));
    }

    /// <summary>
    /// Parses the HOCON file at <paramref name="path"/> (a <c>.json</c> file as strict JSON and a <c>.properties</c> file as
    /// Java properties, as the reference implementation does); origins name it as given, and its relative includes are
    /// found next to it. A missing or unreadable file is an <see cref="InputException"/> naming it.
    /// </summary>
    public static Config ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ConfigErrors.FileNotFound(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.FileUnreadable(path, e);
        }
        return new Config(Documents.Parse(text, IncludeContext.ForFile(path), HoconPath.Root, Documents.SyntaxOf(path)));
    }

    /// <summary>Parses and resolves <paramref name="text"/>. Returns true with the configuration, or false with the error.</summary>
    public static bool TryParseString(string text, [NotNullWhen(true)] out Config? config, [NotNullWhen(false)] out InputException? error, string? originName = null) =>
        Try(() => ParseString(text, originName), out config, out error);

    /// <summary>Parses and resolves the file at <paramref name="path"/>. Returns true with the configuration, or false with the error.</summary>
    public static bool TryParseFile(string path, [NotNullWhen(true)] out Config? config, [NotNullWhen(false)] out InputException? error) =>
        Try(() => ParseFile(path), out config, out error);

    private static Config LoadReference()
    {
        using var stream = typeof(ConfigurationFactory).Assembly.GetManifestResourceStream("Gpuvmsim.Configuration." + ReferenceName)
            ?? throw new InvalidOperationException($"{ReferenceName} is not embedded in {typeof(ConfigurationFactory).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ParseString(reader.ReadToEnd(), ReferenceName);
    }

    private static bool Try(Func<Config> parse, [NotNullWhen(true)] out Config? config, [NotNullWhen(false)] out InputException? error)
    {
        try
        {
            config = parse().Resolve();
            error = null;
            return true;
        }
        catch (InputException e)
        {
            config = null;
            error = e;
            return false;
        }
    }
}
