using System.CommandLine;

namespace Gpuvmsim.Host.Cli;

/// <summary><c>gpuvmsim debug …</c>: hidden verbs that tests and developers drive; not part of the CLI contract.</summary>
internal static class DebugCommand
{
    public static Command Create() =>
        new("debug", "Developer tools (hidden).")
        {
            Hidden = true,
            Subcommands = { JournalWriterCommand.Create() },
        };
}
