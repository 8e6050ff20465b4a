using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Syntax of HOCON documents (Lightbend HOCON.md, "Syntax").</summary>
public sealed class ParsingSpec
{
    private static string Render(string hocon) => ConfigurationFactory.ParseString(hocon).Render();

    [Theory]
    [InlineData("a = 1", """{"a":1}""")]
    [InlineData("a : 1", """{"a":1}""")]
    [InlineData("a { b = 1 }", """{"a":{"b":1}}""")]
    [InlineData("{ a = 1 }", """{"a":1}""")]
    [InlineData("a = 1, b = 2,", """{"a":1,"b":2}""")]
    [InlineData("a = [1,2,3,]", """{"a":[1,2,3]}""")]
    [InlineData("a = [1\n2\n3]", """{"a":[1,2,3]}""")]
    [InlineData("", "{}")]
    public void Separators_and_root_braces_follow_the_spec(string hocon, string json) =>
        Assert.Equal(json, Render(hocon));

    [Theory]
    [InlineData("a = truefoo", """{"a":"truefoo"}""")]
    [InlineData("a = 10.0bar", """{"a":"10.0bar"}""")]
    [InlineData("a = foo bar  baz", """{"a":"foo bar  baz"}""")]
    [InlineData("a = 1.2.3", """{"a":"1.2.3"}""")]
    [InlineData("a = x//comment", """{"a":"x"}""")]
    public void Unquoted_strings_stop_at_forbidden_characters_and_comments(string hocon, string json) =>
        Assert.Equal(json, Render(hocon));

    [Fact]
    public void Triple_quoted_string_keeps_extra_closing_quotes()
    {
        Assert.Equal("foo\"", ConfigurationFactory.ParseString("a = \"\"\"foo\"\"\"\"").GetString("a"));
    }

    [Fact]
    public void Triple_quoted_string_spans_lines_without_escapes()
    {
        Assert.Equal("x\n\\n y", ConfigurationFactory.ParseString("a = \"\"\"x\n\\n y\"\"\"").GetString("a"));
    }

    [Fact]
    public void Dotted_key_creates_nested_objects_and_quoted_segments_keep_dots()
    {
        var config = ConfigurationFactory.ParseString("""a.b."c.d" = 1""");
        Assert.Equal(1, config.GetInt("a.b.\"c.d\""));
        Assert.Equal("""{"a":{"b":{"c.d":1}}}""", config.Render());
    }

    [Fact]
    public void Number_key_splits_at_its_dot()
    {
        Assert.Equal("""{"3":{"14":42}}""", Render("3.14 : 42"));
    }

    [Fact]
    public void Duplicate_objects_merge_and_null_prevents_the_merge()
    {
        Assert.Equal("""{"foo":{"a":42,"b":43}}""", Render("foo { a = 42 }\nfoo { b = 43 }"));
        Assert.Equal("""{"foo":{"b":43}}""", Render("foo { a = 42 }\nfoo = null\nfoo { b = 43 }"));
    }

    [Fact]
    public void Include_keyword_is_plain_text_after_the_start_of_a_key_or_as_a_value()
    {
        Assert.Equal("""{"foo include":42,"x":"include"}""", Render("foo include : 42\nx = include"));
    }

    [Theory]
    [InlineData("a = \"abc", 1, 5)]
    [InlineData("a {\n b = 1", 2, 7)]
    [InlineData("a = [1,,2]", 1, 8)]
    [InlineData("a = \"\\x\"", 1, 6)]
    [InlineData("x = 1\n  ..a = 2", 2, 3)]
    public void Syntax_error_names_string_line_and_column(string hocon, int line, int column)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString(hocon));
        Assert.Equal(new ConfigOrigin("<string>", line, column), error.Origin);
        Assert.StartsWith($"<string>:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_named_json_or_properties_is_read_in_that_syntax()
    {
        string json = Path.Combine(Fixtures.Directory, "included", "strict.json");
        Assert.Equal("""{"s":{"t":[1,2.5,"x",null,true]},"shared":"strict"}""", ConfigurationFactory.ParseFile(json).Render());

        string duplicate = Path.Combine(Fixtures.InvalidDirectory, "included", "duplicate.json");
        var error = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(duplicate));
        Assert.Contains("duplicate key \"d\"", error.Message, StringComparison.Ordinal);

        string properties = Path.Combine(Fixtures.Directory, "included", "three.properties");
        Assert.Equal("""{"from-properties":"3","over":"properties","shared":"properties"}""", ConfigurationFactory.ParseFile(properties).Render());
    }

    [Theory]
    [InlineData("array")]
    [InlineData("object")]
    [InlineData("path")]
    public void Nesting_deeper_than_the_limit_is_an_error_not_a_stack_overflow(string how)
    {
        const int depth = 100_000;
        var hocon = how switch
        {
            "array" => "a = " + new string('[', depth) + new string(']', depth),
            "object" => "a = " + string.Concat(Enumerable.Repeat("{ b = ", depth)) + "1" + new string('}', depth),
            _ => string.Concat(Enumerable.Repeat("a.", depth)) + "b = 1",
        };
        var error = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString(hocon));
        Assert.Contains($"nest more than {Documents.MaxNesting} levels deep", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deep.json")]
    [InlineData("deep.properties")]
    public void Nesting_limit_holds_for_json_and_properties_files(string name)
    {
        string dir = Directory.CreateTempSubdirectory("hocon-deep-").FullName;
        try
        {
            const int depth = 100_000;
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, name.EndsWith(".json", StringComparison.Ordinal)
                ? "{\"a\": " + new string('[', depth) + new string(']', depth) + "}"
                : string.Concat(Enumerable.Repeat("a.", depth)) + "b = 1");
            var error = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(path));
            Assert.Contains($"nest more than {Documents.MaxNesting} levels deep", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        int depth = Documents.MaxNesting - 1;
        var config = ConfigurationFactory.ParseString("a = " + new string('[', depth) + new string(']', depth));
        Assert.True(config.HasPath("a"));
    }

    [Fact]
    public void Origin_name_given_to_ParseString_appears_in_errors()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString("a = [", "scenario.conf"));
        Assert.StartsWith("scenario.conf:1:6: unterminated array", error.Message, StringComparison.Ordinal);
    }
}
