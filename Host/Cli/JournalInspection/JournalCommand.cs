using System.CommandLine;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary><c>gpuvmsim journal list|show|events|export|diff</c>: read-only inspection of a bind journal database.</summary>
internal static class JournalCommand
{
    public static Command Create() => new("journal", "Inspect the bind journals of a database (read-only): list, show, events, export, diff.")
    {
        JournalListCommand.Create(),
        JournalShowCommand.Create(),
        JournalEventsCommand.Create(),
        JournalExportCommand.Create(),
        JournalDiffCommand.Create(),
    };
}
