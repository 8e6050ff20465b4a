namespace Gpuvmsim.Tests.Persistence;

/// <summary>
/// conventions.md §2.1, the Akka.Persistence.Sql default layout (<c>table-mapping = default</c>,
/// <c>tag-write-mode = TagTable</c>), as the schema tests expect to read it back from either store.
/// </summary>
public static class ExpectedLayout
{
    /// <summary>Columns in declaration order, with their nullability.</summary>
    public static IReadOnlyDictionary<string, (string Column, bool Nullable)[]> Columns { get; } = new Dictionary<string, (string, bool)[]>
    {
        ["journal"] =
        [
            ("ordering", false), ("deleted", false), ("persistence_id", false), ("sequence_number", false), ("created", false),
            ("message", false), ("identifier", true), ("manifest", true), ("writer_uuid", true),
        ],
        ["tags"] = [("ordering_id", false), ("tag", false), ("persistence_id", false), ("sequence_nr", false)],
        ["snapshot"] =
        [
            ("persistence_id", false), ("sequence_number", false), ("created", false), ("snapshot", true), ("manifest", true), ("serializer_id", true),
        ],
    };

    /// <summary>The footers' indexes: name → (table, columns, unique).</summary>
    public static IReadOnlyDictionary<string, (string Table, string[] Columns, bool Unique)> Indexes { get; } = new Dictionary<string, (string, string[], bool)>
    {
        ["journal_uq"] = ("journal", ["persistence_id", "sequence_number"], true),
        ["journal_created_idx"] = ("journal", ["created"], false),
        ["journal_sequence_number_idx"] = ("journal", ["sequence_number"], false),
        ["tags_persistence_id_sequence_nr_idx"] = ("tags", ["persistence_id", "sequence_nr"], false),
        ["tags_tag_idx"] = ("tags", ["tag"], false),
        ["snapshot_sequence_number_idx"] = ("snapshot", ["sequence_number"], false),
        ["snapshot_created_idx"] = ("snapshot", ["created"], false),
    };

    /// <summary>Primary keys in key order.</summary>
    public static IReadOnlyDictionary<string, string[]> PrimaryKeys { get; } = new Dictionary<string, string[]>
    {
        ["journal"] = ["ordering"],
        ["tags"] = ["ordering_id", "tag"],
        ["snapshot"] = ["persistence_id", "sequence_number"],
    };
}
