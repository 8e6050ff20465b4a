using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Concise JSON as Lightbend config 1.3.1 renders it (see Fixtures/README.md).</summary>
public sealed class RenderingSpec
{
    private static string Render(string hocon) => ConfigurationFactory.ParseString(hocon).Render();

    [Fact]
    public void Digit_keys_come_first_in_numeric_order_then_the_rest_ordinally()
    {
        Assert.Equal("""{"2":1,"10":1,"B":1,"_":1,"a":1,"é":1}""", Render("""a = 1, "é" = 1, _ = 1, B = 1, "10" = 1, "2" = 1"""));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1e5", "100000")]
    [InlineData("-0", "0")]
    [InlineData("007", "7")]
    [InlineData("0.5", "0.5")]
    [InlineData("1e-7", "1.0E-7")]
    [InlineData("1e20", "1.0E20")]
    [InlineData("123456789012.5", "1.234567890125E11")]
    [InlineData("0.0001", "1.0E-4")]
    [InlineData("-2.50", "-2.5")]
    public void Numbers_render_as_the_reference_prints_them(string text, string json)
    {
        Assert.Equal($$"""{"n":{{json}}}""", Render($"n = {text}"));
    }

    [Fact]
    public void Strings_escape_quotes_backslashes_and_control_characters_only()
    {
        Assert.Equal("{\"s\":\"q\\\" b\\\\ n\\n t\\t \\u0001 \u007f é /\"}", Render("s = \"q\\\" b\\\\ n\\n t\\t \\u0001 \\u007f é /\""));
    }
}
