using System.CommandLine;
using Gpuvmsim.Host.Cli;
using Gpuvmsim.Host.Cli.Jobs;
using JournalInspection = Gpuvmsim.Host.Cli.JournalInspection;

// The gpuvmsim command line: one verb per file under Cli/.
var root = new RootCommand("gpuvmsim: explore and replay VM_BIND locking races in drm_gpuvm drivers")
{
    VersionCommand.Create(),
    BenchCommand.Create(),
    ExploreCommand.CreateExplore(),
    ExploreCommand.CreateRun(),
    ReplayCommand.Create(),
    ShrinkCommand.Create(),
    JobCommand.Create(),
    WorkerCommand.Create(),
    ConfigCommand.Create(),
    GpuvmOpsCommand.Create(),
    DebugCommand.Create(),
    JournalInspection.JournalCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"gpuvmsim: {error.Message}");
    return ExitCodes.BadInput;
}
return await parse.InvokeAsync();
