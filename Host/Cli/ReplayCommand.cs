using System.CommandLine;
using System.Text;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// <c>gpuvmsim replay JOURNAL_ID --journal DB [--json] [--scenario FILE] [--fail-at STEP] [--fail-on-findings]</c>:
/// rebuilds a bind journal's actors under their supervisor, replays its schedule and says whether the run came back
/// identical, and where it diverged if not.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("JOURNAL_ID") { Description = "the bind journal to replay (r-…)" };
        var journal = new Option<string>("--journal") { Description = "the journal database (SQLite file or PostgreSQL URL)", Required = true };
        var json = new Option<bool>("--json") { Description = "print one JSON object (cli-contract.md)" };
        var scenario = new Option<string?>("--scenario") { Description = "replay against this scenario file instead of the recorded text" };
        var failAt = new Option<long?>("--fail-at") { Description = "inject a failure into the first world actor receiving a message at or after STEP; the supervisor restarts it from its events" };
        var failOnFindings = new Option<bool>("--fail-on-findings") { Description = "exit 3 when the replay shows a finding" };
        var command = new Command("replay", "Replay a bind journal and check that it reproduces its run exactly.") { id, journal, json, scenario, failAt, failOnFindings };
        command.SetGuardedAction(parse =>
        {
            if (parse.GetValue(failAt) is < 0)
                throw new InputException("--fail-at: the step must be >= 0");
            // Replaying only reads: a damaged or foreign database must come out of it as it went in.
            using var store = BindJournalStore.OpenReadOnly(parse.GetValue(journal)!);
            var options = new ReplayOptions(
                parse.GetValue(scenario) is { } file ? ScenarioParser.ParseFile(file) : null,
                parse.GetValue(failAt));
            var report = BindReplay.Replay(store, parse.GetValue(id)!, options);
            Console.Write(parse.GetValue(json) ? Json(report) + "\n" : Human(report));
            return parse.GetValue(failOnFindings) && report.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The object of cli-contract.md, plus the divergence and the injected failure when there are any.</summary>
    public static string Json(ReplayReport report) => CliJson.Object(w =>
    {
        w.WriteString("journal_id", report.JournalId);
        w.WriteStartArray("verdict");
        foreach (var kind in report.Verdict)
            w.WriteStringValue(kind);
        w.WriteEndArray();
        w.WriteString("trace_sha256", report.TraceSha256);
        w.WriteBoolean("identical", report.Identical);
        if (report.Divergence is { } divergence)
        {
            w.WriteStartObject("divergence");
            w.WriteNumber("step", divergence.Step);
            w.WriteString("reason", divergence.Reason);
            w.WriteEndObject();
        }
        if (report.Replay?.Faults is { } faults)
        {
            w.WriteStartObject("injected_failure");
            w.WriteNumber("requested_step", faults.FromStep);
            w.WriteBoolean("fired", faults.FailedActor is not null);
            if (faults.FailedActor is { } actor)
            {
                w.WriteString("actor", actor);
                w.WriteNumber("step", faults.FiredAtStep!.Value);
                w.WriteBoolean("recovered", faults.Recovered);
            }
            w.WriteEndObject();
        }
    });

    public static string Human(ReplayReport report)
    {
        var recorded = report.Recorded;
        var w = new StringBuilder();
        w.AppendLine($"journal {report.JournalId}: scenario {recorded.Setup.Scenario}, design {recorded.Setup.Design}, recorded by gpuvmsim {recorded.GpuvmsimVersion} at {recorded.RecordedAt:u}");
        w.AppendLine($"recorded verdict: [{string.Join(", ", recorded.Verdict)}]");
        w.AppendLine($"replayed verdict: [{string.Join(", ", report.Verdict)}]");
        if (report.Replay?.Faults is { } faults)
        {
            w.AppendLine(faults.FailedActor is { } actor
                ? $"injected failure: {actor} failed at step {faults.FiredAtStep}; {(faults.Recovered ? "the supervisor restarted it and it recovered from its events" : "it was not restarted")}"
                : $"injected failure: none fired (no world actor received a message at or after step {faults.FromStep})");
        }
        w.AppendLine(report.Identical
            ? $"identical: the replayed trace hashes to the recorded {recorded.TraceSha256}"
            : $"NOT identical: recorded trace {recorded.TraceSha256}, replayed {(report.TraceSha256.Length > 0 ? report.TraceSha256 : "none")}");
        if (report.Divergence is { } divergence)
            w.AppendLine($"diverged at step {divergence.Step}: {divergence.Reason}");
        foreach (var finding in report.Findings.DistinctBy(f => f.Key))
        {
            w.AppendLine().AppendLine($"=== {finding.Kind}: {finding.Summary}").AppendLine();
            w.Append(finding.Report);
        }
        if (report.Replay?.Run?.Events is { Count: > 0 } events)
            w.AppendLine().AppendLine("interleaving:").Append(InterleavingTable.Render(events));
        return w.ToString();
    }
}
