using System.CommandLine;
using System.Text;
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
        output.WriteLine(AsJavaWritesUtf8(config.Render()));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <paramref name="text"/> with each unpaired surrogate (<c>"\ude00"</c> in a quoted string) replaced by <c>?</c>, as
    /// Java's UTF-8 encoder writes it: the reference's output, byte for byte, where .NET's encoder would write U+FFFD.
    /// </summary>
    internal static string AsJavaWritesUtf8(string text)
    {
        StringBuilder? replaced = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (paired)
                replaced?.Append(c);
            else
                (replaced ??= new StringBuilder(text, 0, i, text.Length)).Append('?');
        }
        return replaced?.ToString() ?? text;
    }
}
