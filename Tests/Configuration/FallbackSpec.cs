using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary><c>WithFallback</c> merges like duplicate keys and resolves after merging (HOCON.md, "Config object merging").</summary>
public sealed class FallbackSpec
{
    private static Config Parse(string hocon) => ConfigurationFactory.ParseString(hocon);

    [Fact]
    public void Fallback_fills_missing_keys_and_merges_objects()
    {
        var merged = Parse("a { x = 1 }, b = 2").WithFallback(Parse("a { y = 2 }, b = 3, c = 4"));
        Assert.Equal("""{"a":{"x":1,"y":2},"b":2,"c":4}""", merged.Render());
    }

    [Fact]
    public void Non_object_between_objects_hides_the_lower_object()
    {
        var merged = Parse("a { x = 1 }").WithFallback(Parse("a = 42")).WithFallback(Parse("a { y = 2 }"));
        Assert.Equal("""{"a":{"x":1}}""", merged.Render());

        var adjacent = Parse("a { x = 1 }").WithFallback(Parse("a { y = 2 }")).WithFallback(Parse("a = 42"));
        Assert.Equal("""{"a":{"x":1,"y":2}}""", adjacent.Render());
    }

    [Fact]
    public void Substitution_resolves_against_the_merged_tree()
    {
        var app = Parse("timeout = ${defaults.timeout}");
        var merged = app.WithFallback(Parse("defaults.timeout = 3s"));
        Assert.Equal(TimeSpan.FromSeconds(3), merged.GetTimeSpan("timeout"));
    }

    [Fact]
    public void Self_reference_reaches_into_the_fallback()
    {
        var merged = Parse("list += c").WithFallback(Parse("list = [a, b]"));
        Assert.Equal(["a", "b", "c"], merged.GetStringList("list"));
    }

    [Fact]
    public void Fallback_substitution_sees_the_overriding_value()
    {
        var merged = Parse("port = 9000").WithFallback(Parse("port = 80\nurl = \"http://host:\"${port}"));
        Assert.Equal("http://host:9000", merged.GetString("url"));
    }

    [Fact]
    public void Try_forms_return_the_error_instead_of_throwing()
    {
        Assert.True(ConfigurationFactory.TryParseString("a = 1", out var config, out var none));
        Assert.Null(none);
        Assert.Equal(1, config.GetInt("a"));

        Assert.False(ConfigurationFactory.TryParseString("a = ${nope}", out var failed, out var error));
        Assert.Null(failed);
        Assert.StartsWith("<string>:1:5: could not resolve substitution ${nope}", error.Message, StringComparison.Ordinal);

        Assert.False(ConfigurationFactory.TryParseFile("/nonexistent/gpuvmsim.conf", out _, out var missing));
        Assert.Contains("/nonexistent/gpuvmsim.conf", missing.Message, StringComparison.Ordinal);
    }
}
