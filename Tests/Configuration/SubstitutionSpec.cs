using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Substitutions, self-references and <c>+=</c> (HOCON.md, "Substitutions").</summary>
public sealed class SubstitutionSpec
{
    private static Config Parse(string hocon, Func<string, string?>? environment = null) =>
        ConfigurationFactory.ParseString(hocon).WithEnvironment(environment ?? (_ => null));

    [Fact]
    public void Substitution_looks_forward_to_the_final_value()
    {
        Assert.Equal(2, Parse("a = ${b}\nb = 1\nb = 2").GetInt("a"));
    }

    [Fact]
    public void Substitution_resolves_self_reference_in_plus_equals()
    {
        Assert.Equal(["x", "y", "z"], Parse("a = [x]\na += y\na += z").GetStringList("a"));
    }

    [Fact]
    public void Plus_equals_on_an_undefined_path_starts_a_list()
    {
        Assert.Equal([1], Parse("a { b += 1 }").GetIntList("a.b"));
    }

    [Fact]
    public void Self_reference_sees_only_earlier_definitions()
    {
        Assert.Equal("""{"path":[1,2,3]}""", Parse("path = [1, 2]\npath = ${path} [3]").Render());
        Assert.Equal("foobar", Parse("a = foo\na = ${a}bar").GetString("a"));
    }

    [Fact]
    public void Optional_self_reference_without_earlier_value_is_undefined()
    {
        Assert.Equal("foo", Parse("a = ${?a}foo").GetString("a"));
    }

    [Fact]
    public void Object_may_refer_to_its_own_fields()
    {
        Assert.Equal(43, Parse("bar { foo = 42, baz = ${bar.foo} }\nbar { foo = 43 }").GetInt("bar.baz"));
    }

    [Fact]
    public void Hidden_substitution_is_never_evaluated()
    {
        // HOCON.md: a substitution overridden by a non-object is not evaluated. Lightbend config 1.3.1 still
        // reports it; this reader follows the spec.
        Assert.Equal(42, Parse("foo = ${does-not-exist}\nfoo = 42").GetInt("foo"));
    }

    [Fact]
    public void Optional_substitution_to_nothing_removes_the_field_and_the_array_element()
    {
        var config = Parse("a = ${?nope}\nb = [1, ${?nope}, 2]\nc = 1\nc = ${?nope}");
        Assert.False(config.HasPath("a"));
        Assert.Equal([1, 2], config.GetIntList("b"));
        Assert.Equal(1, config.GetInt("c"));
    }

    [Fact]
    public void Missing_path_falls_back_to_the_environment_unless_set_to_null()
    {
        var environment = (string name) => name == "GPUVMSIM_TEST_HOME" ? "/home/test" : null;
        Assert.Equal("/home/test/x", Parse("a = ${GPUVMSIM_TEST_HOME}/x", environment).GetString("a"));
        Assert.False(Parse("GPUVMSIM_TEST_HOME = null\na = ${?GPUVMSIM_TEST_HOME}", environment).HasPath("a"));
    }

    [Fact]
    public void Unresolvable_substitution_names_its_path_and_position()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("x = 1\ny = ${a.b}").Resolve());
        Assert.StartsWith("<string>:2:5: could not resolve substitution ${a.b}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "an array of more than")]
    [InlineData("ab", "a string of more than")]
    public void Concatenations_that_double_on_every_line_stop_at_the_length_limit(string start, string message)
    {
        var hocon = $"x0 = {start}\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"x{i} = ${{x{i - 1}}} ${{x{i - 1}}}\n"));
        var error = Assert.Throws<ConfigException>(() => Parse(hocon).Resolve());
        Assert.StartsWith("<string>:1:6: this concatenation would make " + message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitution_cycle_is_reported_with_the_paths_involved()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = ${b}\nb = ${a}").Resolve());
        Assert.Equal("<string>:2:5: substitution ${a} is part of a cycle: ${b} -> ${a} -> ${b}", error.Message);
    }

    [Fact]
    public void Substitution_in_included_file_is_fixed_up_to_the_include_point()
    {
        string dir = Directory.CreateTempSubdirectory("hocon-include-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "foo.conf"), "x = 10\ny = ${x}\n");
            File.WriteAllText(Path.Combine(dir, "main.conf"), "a { include \"foo.conf\" }\na { x = 42 }\n");
            var config = ConfigurationFactory.ParseFile(Path.Combine(dir, "main.conf"));
            Assert.Equal(42, config.GetInt("a.y"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Missing_required_include_is_an_error_and_missing_optional_include_is_ignored()
    {
        Assert.True(ConfigurationFactory.ParseString("include \"/nonexistent/gpuvmsim.conf\"").IsEmpty);
        var error = Assert.Throws<ConfigException>(() =>
            ConfigurationFactory.ParseString("include required(file(\"/nonexistent/gpuvmsim.conf\"))"));
        Assert.Equal(new ConfigOrigin("<string>", 1, 18), error.Origin);
    }
}
