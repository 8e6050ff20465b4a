namespace Gpuvmsim.Tests.Configuration;

/// <summary>Where the HOCON fixtures are after the build copied them next to the test assembly.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures");

    public static string InvalidDirectory => Path.Combine(Directory, "Invalid");

    public static string ReferenceConf => Path.Combine(AppContext.BaseDirectory, "Configuration", "reference.conf");

    /// <summary>
    /// The environment the reference outputs were generated in (see Fixtures/README.md), so no test depends on
    /// the machine's own variables.
    /// </summary>
    public static string? Environment(string name) => name switch
    {
        "HOCON_FIXTURE_HOME" => "/home/fixture",
        "HOCON_FIXTURE_EMPTY" => "",
        "HOCON_FIXTURE_BLOCKED" => "from-env",
        "HOCON_FIXTURE_NULLED" => "from-env",
        _ => null,
    };

    public static TheoryData<string> Names(string directory)
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(directory, "*.conf").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }
}
