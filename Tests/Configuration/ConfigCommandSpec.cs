using System.CommandLine;
using Gpuvmsim.Host.Cli;

namespace Gpuvmsim.Tests.Configuration;

/// <summary>Console output is process-wide, so these tests never run alongside others.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary><c>gpuvmsim config render FILE</c> end to end, through the same command tree as Program.cs.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ConfigCommandSpec
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { ConfigCommand.Create() };
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = root.Parse(args).Invoke();
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void Config_render_prints_the_resolved_configuration_and_exits_0()
    {
        string file = Path.Combine(Fixtures.Directory, "self-reference.conf");

        var (exit, stdout, stderr) = Run("config", "render", file);

        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Path.ChangeExtension(file, ".json")), stdout.Replace("\r\n", "\n"));
        Assert.Equal("", stderr);
    }

    [Theory]
    [InlineData("plain ascii and é漢字", "plain ascii and é漢字")]
    [InlineData("pair \\ud83d\\ude00 kept", "pair \\ud83d\\ude00 kept")]
    [InlineData("lone low \\ude00, lone high \\ud83d", "lone low ?, lone high ?")]
    [InlineData("\\ude00\\ud83d", "??")]
    [InlineData("\\ud83d\\ud83d\\ude00", "?\\ud83d\\ude00")]
    public void Config_render_writes_an_unpaired_surrogate_as_the_reference_does(string escaped, string expected)
    {
        string text = System.Text.RegularExpressions.Regex.Unescape(escaped);

        Assert.Equal(System.Text.RegularExpressions.Regex.Unescape(expected), ConfigCommand.AsJavaWritesUtf8(text));
    }

    [Fact]
    public void Config_render_of_invalid_input_prints_one_positioned_line_and_exits_2()
    {
        string file = Path.Combine(Fixtures.InvalidDirectory, "unterminated-array.conf");

        var (exit, stdout, stderr) = Run("config", "render", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"{file}:2:1: unterminated array", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Config_render_of_a_missing_file_names_it_and_exits_2()
    {
        var (exit, _, stderr) = Run("config", "render", "/nonexistent/app.conf");

        Assert.Equal(2, exit);
        Assert.Contains("/nonexistent/app.conf", stderr, StringComparison.Ordinal);
    }
}
