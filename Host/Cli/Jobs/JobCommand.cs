using System.CommandLine;

namespace Gpuvmsim.Host.Cli.Jobs;

/// <summary><c>gpuvmsim job submit|status</c>: explorations that <c>gpuvmsim worker</c> processes on any number of hosts share through PostgreSQL.</summary>
internal static class JobCommand
{
    public static Command Create() =>
        new("job", "Submit explorations that `gpuvmsim worker` processes on any number of hosts share through PostgreSQL, and follow them.")
        {
            JobSubmitCommand.Create(),
            JobStatusCommand.Create(),
        };

    /// <summary>The --journal of the job verbs and the worker: the shared PostgreSQL database.</summary>
    public static Option<string> JournalOption() => new("--journal")
    {
        Description = "the PostgreSQL database the workers share, which also holds the bind journal (postgres://user@host:port/db or Host=…)",
        Required = true,
    };
}
