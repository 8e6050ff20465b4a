using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>A bind journal as stored: its header, its trace, and each world actor's events in sequence order.</summary>
/// <param name="WorldEvents">Per actor (e.g. <c>vm/V</c>), its events.</param>
public sealed record StoredRun(BindRunRecorded Header, string Trace, IReadOnlyDictionary<string, IReadOnlyList<WorldEvent>> WorldEvents)
{
    public string JournalId => Header.JournalId;
}

/// <summary>What a listing found: the matching records, oldest first, and a message naming each stored record that
/// could not be read (it is left out, so one damaged journal does not hide the others).</summary>
public sealed record JournalListing<T>(IReadOnlyList<T> Items, IReadOnlyList<string> Unreadable);

/// <summary>Which journals <see cref="BindJournalStore.ListRuns"/> and <see cref="BindJournalStore.ListExplorations"/> return.</summary>
/// <param name="Since">Only journals recorded at or after this instant.</param>
public sealed record JournalFilter(string? Scenario = null, string? Design = null, string? Finding = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null)
{
    public bool Matches(RunSetup setup, DateTimeOffset recordedAt, IEnumerable<string> kinds) =>
        (Scenario is null || setup.Scenario == Scenario) &&
        (Design is null || setup.Design == Design) &&
        (Finding is null || kinds.Contains(Finding, StringComparer.Ordinal)) &&
        (Since is null || recordedAt >= Since) &&
        (Until is null || recordedAt <= Until);

    /// <summary>The most selective tag to query by.</summary>
    public string Tag(string what) => BindJournalTags.Clip(
        Finding is not null ? BindJournalTags.Finding(Finding)
        : Scenario is not null ? BindJournalTags.Scenario(Scenario)
        : Design is not null ? BindJournalTags.Design(Design)
        : what);
}
