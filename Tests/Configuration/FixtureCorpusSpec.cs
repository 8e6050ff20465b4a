using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>
/// Every <c>Fixtures/NAME.conf</c> renders exactly as the reference implementation rendered it into <c>NAME.json</c>,
/// and every <c>Fixtures/Invalid/NAME.conf</c> fails at the position <c>NAME.error</c> names.
/// </summary>
public sealed class FixtureCorpusSpec
{
    public static TheoryData<string> Valid => Fixtures.Names(Fixtures.Directory);

    public static TheoryData<string> Invalid => Fixtures.Names(Fixtures.InvalidDirectory);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Fixture_renders_byte_for_byte_as_the_reference_implementation(string name)
    {
        string expected = File.ReadAllText(Path.Combine(Fixtures.Directory, name + ".json")).TrimEnd('\n');

        string actual = ConfigurationFactory.ParseFile(Path.Combine(Fixtures.Directory, name + ".conf"))
            .WithEnvironment(Fixtures.Environment)
            .Render();

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_fixture_reports_the_position_and_reason_of_the_fault(string name)
    {
        // NAME.error: "FILE:LINE:COLUMN: start of the reason", FILE relative to the Invalid folder.
        string expected = File.ReadAllText(Path.Combine(Fixtures.InvalidDirectory, name + ".error")).TrimEnd('\n');
        int firstColon = expected.IndexOf(':');
        string expectedMessage = Path.Combine(Fixtures.InvalidDirectory, expected[..firstColon]) + expected[firstColon..];

        var error = Assert.ThrowsAny<InputException>(() =>
            ConfigurationFactory.ParseFile(Path.Combine(Fixtures.InvalidDirectory, name + ".conf"))
                .WithEnvironment(Fixtures.Environment)
                .Resolve());

        Assert.StartsWith(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.IsType<ConfigException>(error);
    }

    [Fact]
    public void Corpus_covers_at_least_twenty_features_and_twenty_errors()
    {
        Assert.True(Directory.GetFiles(Fixtures.Directory, "*.conf").Length >= 20);
        Assert.True(Directory.GetFiles(Fixtures.InvalidDirectory, "*.conf").Length >= 20);
    }
}
