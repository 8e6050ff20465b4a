using System.Security.Cryptography;
using System.Text;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>A run ready to be stored: header, trace and the world actors' events in the order they happened.</summary>
public sealed record RecordedRun(BindRunRecorded Header, string Trace, IReadOnlyList<LoggedWorldEvent> WorldEvents);

/// <summary>Turns runs into bind journal records and records back into what a replay needs.</summary>
public static class RunRecords
{
    public static RunSetup SetupOf(ScenarioSpec scenario, Design design, ExploreOptions options) => new(
        scenario.Name, scenario.File, scenario.Text, Sha256(scenario.Text), design.Name, design.Values,
        options.Strategy, options.Seed, options.PctDepth, options.MaxStepsPerRun);

    /// <summary>The record of one reproduced run.</summary>
    /// <param name="replay">A reproduction that recorded world events and a trace (not a diverged one).</param>
    public static RecordedRun Record(
        RunSetup setup, long scheduleIndex, string schedule, IReadOnlyList<(long Index, string Schedule)> witnesses,
        Reproduction replay, DateTimeOffset recordedAt, string? explorationId = null, string? shrunkFrom = null)
    {
        var run = replay.Run ?? throw new ArgumentException("a diverged replay cannot be journaled", nameof(replay));
        var events = run.WorldEvents.All;
        var streams = events.GroupBy(e => e.PersistenceId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var id = BindJournalIds.ForRun(setup.ScenarioSha256, setup.Knobs, schedule, witnesses.Select(w => w.Schedule), replay.TraceSha256, shrunkFrom);
        var header = new BindRunRecorded(
            id, GpuvmsimVersion.Current, recordedAt, setup, scheduleIndex, schedule,
            [.. witnesses.Select(w => new RecordedWitness(w.Index, w.Schedule))],
            run.Steps, run.End.ToString(), replay.TraceSha256,
            [.. replay.Findings.Select(f => new RecordedFinding(f.Kind, f.Key, f.Summary, f.Report, f.Step))],
            explorationId, shrunkFrom, streams);
        return new RecordedRun(header, replay.TraceText, events);
    }

    /// <summary>The scenario as it was recorded.</summary>
    /// <exception cref="InputException">The recorded text no longer parses (the scenario format changed).</exception>
    public static ScenarioSpec ScenarioOf(RunSetup setup) => ScenarioParser.ParseString(setup.ScenarioText, setup.ScenarioFile);

    /// <summary>The design as it was recorded: every knob with its recorded value (knobs added since keep v2's).</summary>
    /// <exception cref="InputException">A recorded knob is unknown to this version.</exception>
    public static Design DesignOf(RunSetup setup) => DesignCatalog.V2.With(setup.Design, setup.Knobs, $"{setup.Design} as recorded");

    /// <summary>The recorded schedule.</summary>
    /// <exception cref="InputException">It does not parse; the message names the journal and the field.</exception>
    public static Schedule ScheduleOf(BindRunRecorded header) => ParseRecorded(header, "schedule", header.Schedule);

    /// <summary>The recorded lockdep witnesses with their schedule indices.</summary>
    /// <exception cref="InputException">A witness's schedule does not parse; the message names the journal and the field.</exception>
    public static IReadOnlyList<(long Index, Schedule Schedule)> WitnessesOf(BindRunRecorded header) =>
        [.. header.Witnesses.Select((w, i) => (w.ScheduleIndex, ParseRecorded(header, $"witnesses[{i}].schedule", w.Schedule)))];

    private static Schedule ParseRecorded(BindRunRecorded header, string field, string text)
    {
        try
        {
            return Schedule.Parse(text);
        }
        catch (ScheduleFormatException e)
        {
            throw new InputException($"journal {header.JournalId}: its header's {field} does not parse: {e.Message}", e);
        }
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
