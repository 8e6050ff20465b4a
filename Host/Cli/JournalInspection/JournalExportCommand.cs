using System.CommandLine;
using System.Text;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.BindJournals.Inspection;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>
/// <c>gpuvmsim journal export ID --journal DB --format jsonl|chrome|lockdep|dot [-o FILE]</c>: a run as JSON lines of
/// its events, a Chrome/Perfetto trace, the lockdep text of its findings, or its lock-class dependency graph in DOT.
/// An exploration exports its lockdep reports and its whole lock graph.
/// </summary>
internal static class JournalExportCommand
{
    public static readonly IReadOnlyList<string> Formats = ["jsonl", "chrome", "lockdep", "dot"];

    public static Command Create()
    {
        var id = JournalInputs.Id();
        var database = JournalInputs.Database();
        var format = new Option<string>("--format") { Description = "jsonl (events), chrome (Perfetto / chrome://tracing), lockdep (finding reports) or dot (lock graph)", Required = true };
        var output = new Option<string?>("-o", "--output") { Description = "write to FILE instead of stdout" };
        var command = new Command("export", "Export a stored run as JSON lines, a Chrome trace, lockdep text or a Graphviz lock graph.") { id, database, format, output };
        command.SetGuardedAction(parse =>
        {
            var wanted = parse.GetValue(format)!;
            if (!Formats.Contains(wanted, StringComparer.Ordinal))
                throw new InputException($"--format: '{wanted}' is not one of {string.Join(", ", Formats)}");
            var journalId = parse.GetValue(id)!;
            using var store = JournalInputs.Open(parse, database);
            var text = journalId.StartsWith(BindJournalIds.ExplorationPrefix, StringComparison.Ordinal)
                ? ExportExploration(store, store.LoadExploration(journalId), wanted)
                : ExportRun(JournalInputs.LoadRun(store, journalId, "export"), wanted);
            JournalInputs.Emit(text, parse.GetValue(output));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string ExportRun(StoredRun run, string format)
    {
        switch (format)
        {
            case "lockdep":
                return LockdepText(run.Header.Findings);
            case "jsonl":
                var lines = new StringBuilder();
                foreach (var entry in JournalInputs.Timeline(run).Entries)
                    lines.Append(TimelineJson.Line(run.JournalId, entry)).Append('\n');
                return lines.ToString();
            case "chrome":
                return ChromeTraceBuilder.Build(JournalInputs.Timeline(run)) + "\n";
            default:
                // The graph needs the replay only, not the timeline built from the trace.
                var analysis = RunAnalysis.Of(run);
                var graph = analysis.Graph ?? throw new InputException($"journal export: no lock graph for {run.JournalId}: {analysis.Problem}");
                return LockGraphDotBuilder.Build($"{run.JournalId}: {run.Header.Setup.Scenario} under {run.Header.Setup.Design}", graph, run.Header.ScheduleIndex);
        }
    }

    /// <summary>Each finding of <paramref name="exploration"/> as the run that reproduces it recorded it (one header read per run).</summary>
    private static List<RecordedFinding> RecordedFindingsOf(BindJournalStore store, ExplorationRecorded exploration)
    {
        var headers = exploration.Findings.Select(f => f.JournalId).Distinct().ToDictionary(id => id, store.LoadHeader);
        return [.. exploration.Findings.Select(f =>
            headers[f.JournalId].Findings.FirstOrDefault(r => r.Key == f.Key) ?? new RecordedFinding(f.Kind, f.Key, f.Summary, "", 0))];
    }

    /// <summary>An exploration's lockdep reports (from the runs that reproduce its findings) or its lock graph as it stored it.</summary>
    private static string ExportExploration(BindJournalStore store, ExplorationRecorded exploration, string format) => format switch
    {
        "lockdep" => LockdepText(RecordedFindingsOf(store, exploration)),
        "dot" => exploration.LockGraphDot,
        _ => throw new InputException($"journal export: {exploration.ExplorationId} is an exploration, which has no events; export one of its runs ({string.Join(", ", exploration.Findings.Select(f => f.JournalId).Distinct())}) or use --format lockdep or dot"),
    };

    /// <summary>The reports of the distinct findings, one after another, each ending in a blank line.</summary>
    public static string LockdepText(IReadOnlyList<RecordedFinding> findings)
    {
        var w = new StringBuilder();
        foreach (var f in findings.DistinctBy(f => f.Key))
        {
            w.Append(f.Report);
            if (!f.Report.EndsWith('\n'))
                w.Append('\n');
            w.Append('\n');
        }
        return w.ToString();
    }
}
