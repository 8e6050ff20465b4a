namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>The tags of bind journal records (the journal's <c>tags</c> table), for queries by scenario, design and finding.</summary>
public static class BindJournalTags
{
    public const string Run = "bind-run";
    public const string Exploration = "exploration";

    public static string Scenario(string name) => "scenario:" + name;

    public static string Design(string name) => "design:" + name;

    public static string Finding(string kind) => "finding:" + kind;

    /// <summary>A shrunk run's link to the journal it was shrunk from.</summary>
    public static string ShrunkFrom(string journalId) => "shrunk-from:" + journalId;

    /// <summary>The longest tag the tag table holds; longer names are cut (queries filter on the record itself too).</summary>
    public const int MaxLength = 64;

    public static IReadOnlyList<string> For(string what, string scenario, string design, IEnumerable<string> findingKinds, string? shrunkFrom = null) =>
        [.. new[] { what, Scenario(scenario), Design(design) }.Concat(findingKinds.Select(Finding))
            .Concat(shrunkFrom is null ? [] : [ShrunkFrom(shrunkFrom)])
            .Select(Clip).Distinct(StringComparer.Ordinal)];

    public static string Clip(string tag) => tag.Length > MaxLength ? tag[..MaxLength] : tag;
}
