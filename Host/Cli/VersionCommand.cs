using System.CommandLine;

namespace Gpuvmsim.Host.Cli;

/// <summary><c>gpuvmsim version</c>: prints the version recorded in every bind journal.</summary>
internal static class VersionCommand
{
    public static string Version => GpuvmsimVersion.Current;

    public static Command Create()
    {
        var command = new Command("version", "Print the gpuvmsim version.");
        command.SetGuardedAction(_ =>
        {
            Console.WriteLine(Version);
            return ExitCodes.Ok;
        });
        return command;
    }
}
