using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Typed getters and their conversions (HOCON.md, "Automatic type conversions", "Units format").</summary>
public sealed class GettersSpec
{
    private static Config Parse(string hocon) => ConfigurationFactory.ParseString(hocon, "app.conf");

    [Fact]
    public void Scalars_convert_as_the_spec_recommends()
    {
        var config = Parse("""
            s = hello, n = 42, big = 9000000000, d = 2.5, whole = 1.0, ns = "17"
            t = true, y = yes, off = off, num-text = 1.50
            """);
        Assert.Equal("hello", config.GetString("s"));
        Assert.Equal("42", config.GetString("n"));
        Assert.Equal("1.50", config.GetString("num-text"));
        Assert.Equal(42, config.GetInt("n"));
        Assert.Equal(17, config.GetInt("ns"));
        Assert.Equal(1, config.GetInt("whole"));
        Assert.Equal(9_000_000_000L, config.GetLong("big"));
        Assert.Equal(2.5, config.GetDouble("d"));
        Assert.True(config.GetBoolean("t"));
        Assert.True(config.GetBoolean("y"));
        Assert.False(config.GetBoolean("off"));
    }

    [Theory]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("5 s", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("10 seconds", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("250", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("2 d", 2 * TimeSpan.TicksPerDay)]
    [InlineData("3 minutes", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("1500 us", 15_000)]
    [InlineData("700ns", 7)]
    [InlineData("2 millis", 2 * TimeSpan.TicksPerMillisecond)]
    public void Durations_accept_every_unit_of_the_spec(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Parse($"t = \"{text}\"").GetTimeSpan("t"));
    }

    [Fact]
    public void Bare_number_duration_means_milliseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(30), Parse("t = 30").GetTimeSpan("t"));
    }

    [Theory]
    [InlineData("64K", 65_536L)]
    [InlineData("4 MiB", 4_194_304L)]
    [InlineData("10 kB", 10_000L)]
    [InlineData("1 GB", 1_000_000_000L)]
    [InlineData("1g", 1_073_741_824L)]
    [InlineData("3 bytes", 3L)]
    [InlineData("2 kibibytes", 2_048L)]
    [InlineData("1.5K", 1_536L)]
    [InlineData("512", 512L)]
    public void Byte_sizes_distinguish_powers_of_two_and_ten(string text, long bytes)
    {
        Assert.Equal(bytes, Parse($"s = \"{text}\"").GetByteSize("s"));
    }

    [Theory]
    [InlineData("t = 5 parsecs", "t", "duration")]
    [InlineData("t = 5S", "t", "duration")]
    [InlineData("s = 5 XB", "s", "size in bytes")]
    public void Bad_unit_names_the_value_position_and_path(string hocon, string path, string family)
    {
        var config = Parse(hocon);
        var error = Assert.Throws<ConfigException>(() =>
        {
            if (family == "duration")
                config.GetTimeSpan(path);
            else
                config.GetByteSize(path);
        });
        Assert.StartsWith($"app.conf:1:5: setting '{path}' must be a {family}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_names_the_value_position_and_path()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a {\n  b = hello\n}").GetInt("a.b"));
        Assert.Equal("app.conf:2:7: setting 'a.b' must be an integer, got the string \"hello\"", error.Message);
        Assert.IsAssignableFrom<InputException>(error);
    }

    [Fact]
    public void Default_is_returned_only_for_a_missing_or_null_path()
    {
        var config = Parse("present = 1, nothing = null");
        Assert.Equal(1, config.GetInt("present", 7));
        Assert.Equal(7, config.GetInt("absent", 7));
        Assert.Equal(7, config.GetInt("nothing", 7));
        Assert.Equal("x", config.GetString("absent.deeper", "x"));
        Assert.Equal(TimeSpan.FromSeconds(1), config.GetTimeSpan("absent", TimeSpan.FromSeconds(1)));
        Assert.Throws<ConfigException>(() => config.GetInt("absent"));
    }

    [Fact]
    public void Lists_convert_each_element_and_accept_numerically_indexed_objects()
    {
        var config = Parse("""a = [x, 2, true], n = [1, 2, 3], o { "1" = b, "0" = a }""");
        Assert.Equal(["x", "2", "true"], config.GetStringList("a"));
        Assert.Equal([1, 2, 3], config.GetIntList("n"));
        Assert.Equal(["a", "b"], config.GetStringList("o"));
        var error = Assert.Throws<ConfigException>(() => config.GetIntList("a"));
        Assert.Contains("'a[0]'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetConfig_scopes_paths_and_HasPath_and_IsEmpty_report_presence()
    {
        var config = Parse("akka.actor { ask-timeout = 5s }, n = null");
        var actor = config.GetConfig("akka.actor");
        Assert.Equal(TimeSpan.FromSeconds(5), actor.GetTimeSpan("ask-timeout"));
        Assert.True(config.HasPath("akka.actor.ask-timeout"));
        Assert.False(config.HasPath("n"));
        Assert.False(config.HasPath("akka.nope"));
        Assert.True(config.GetConfig("missing").IsEmpty);
        Assert.True(ConfigurationFactory.Empty.IsEmpty);
        Assert.Equal(["ask-timeout"], config.GetObject("akka.actor").Keys);
        Assert.Equal(HoconType.Object, config.Root["akka"]!.Type);
    }
}
