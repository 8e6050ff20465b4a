using System.CommandLine;
using Gpuvmsim.Configuration;

namespace Gpuvmsim.Host.Cli;

/// <summary><c>gpuvmsim config render FILE</c>: prints the merged, resolved configuration of FILE as concise JSON.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "HOCON file to read (includes are found next to it)" };
        var render = new Command("render", "Print FILE fully merged and resolved, as one line of JSON.") { file };
        render.SetGuardedAction(parse => Render(parse.GetValue(file)!, Console.Out));
        return new Command("config", "Read HOCON configuration files.") { render };
    }

    /// <summary>Writes the JSON of <paramref name="path"/> and a newline; bad input throws <see cref="InputException"/>.</summary>
    public static int Render(string path, TextWriter output)
    {
        var config = ConfigurationFactory.ParseFile(path).Resolve();
        output.WriteLine(config.Render());
        return ExitCodes.Ok;
    }
}
