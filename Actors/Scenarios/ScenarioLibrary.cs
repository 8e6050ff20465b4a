namespace Gpuvmsim.Scenarios;

/// <summary>The scenarios of the repository's <c>scenarios/</c> folder, embedded in this assembly, by name.</summary>
public static class ScenarioLibrary
{
    private const string Prefix = "scenarios/";

    /// <summary>Names of the library's scenarios (file names without <c>.conf</c>), in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(ScenarioLibrary).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => Path.GetFileNameWithoutExtension(n[Prefix.Length..]))
            .Order(StringComparer.Ordinal)];

    /// <summary>Parses a library scenario; an unknown name is an input error listing the known ones.</summary>
    public static ScenarioSpec Load(string name)
    {
        using var stream = typeof(ScenarioLibrary).Assembly.GetManifestResourceStream($"{Prefix}{name}.conf")
            ?? throw new InputException($"unknown library scenario '{name}'; known: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return ScenarioParser.ParseString(reader.ReadToEnd(), $"{name}.conf");
    }
}
