using System.CommandLine;
using System.Globalization;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.BindJournals.Inspection;

namespace Gpuvmsim.Host.Cli.JournalInspection;

/// <summary>The options the journal verbs share, and how their inputs are read: always read-only.</summary>
internal static class JournalInputs
{
    public static Option<string> Database() =>
        new("--journal") { Description = "the journal database: a SQLite file, or PostgreSQL (postgres://user@host:port/db or Host=…); opened read-only", Required = true };

    public static Option<bool> Json() => new("--json") { Description = "print one JSON object" };

    public static Argument<string> Id(string name = "ID") =>
        new(name) { Description = "a bind journal (r-…) or an exploration (x-…), as `journal list` shows them" };

    public static BindJournalStore Open(ParseResult parse, Option<string> database) => BindJournalStore.OpenReadOnly(parse.GetValue(database)!);

    /// <summary>A run with all its events; a journal holding events of a version this program does not know is shown as far as it can be.</summary>
    /// <exception cref="InputException">No such run, an exploration id, or an incomplete or damaged journal.</exception>
    public static StoredRun LoadRun(BindJournalStore store, string id, string verb)
    {
        if (id.StartsWith(BindJournalIds.ExplorationPrefix, StringComparison.Ordinal) && BindJournalIds.IsWellFormed(id))
            throw new InputException($"journal {verb}: {id} is an exploration; give one of its runs (see `gpuvmsim journal show {id}`)");
        try
        {
            return store.Load(id);
        }
        catch (UnknownEventManifestException)
        {
            return store.LoadReadable(id);
        }
    }

    /// <summary>A run laid out in step order, with what a replay recovers (lock names, steps of world events, the lock graph).</summary>
    public static RunTimeline Timeline(StoredRun run) => RunTimeline.Of(run, RunAnalysis.Of(run));

    /// <summary>
    /// A date or instant: <c>2026-11-21</c>, <c>2026-11-21T12:00</c>, <c>2026-11-21T12:00:00+02:00</c>; UTC unless it says
    /// otherwise. A bare date given as an upper bound means the end of that day.
    /// </summary>
    /// <exception cref="InputException">Not a date.</exception>
    public static DateTimeOffset? Date(string option, string? text, bool upperBound)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upperBound ? start.AddDays(1).AddTicks(-1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var instant))
            return instant;
        throw new InputException($"{option}: '{text}' is not a date (e.g. 2026-11-21 or 2026-11-21T12:00:00Z)");
    }

    /// <summary>Writes <paramref name="text"/> to FILE, or to stdout without one.</summary>
    /// <exception cref="InputException">FILE cannot be written.</exception>
    public static void Emit(string text, string? file)
    {
        if (file is null)
        {
            Console.Out.Write(text);
            return;
        }
        try
        {
            File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InputException($"-o: cannot write {file}: {e.Message}");
        }
    }
}
