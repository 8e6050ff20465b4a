namespace Gpuvmsim.Persistence.Settings;

/// <summary>
/// The page size (<c>PRAGMA page_size</c>) a SQLite store gives a database file it creates; an existing file keeps
/// the size it was created with. Replaying one persistence id reads its rows through the
/// <c>(persistence_id, sequence_number)</c> index and then the table in <c>ordering</c> order, and the rows of the
/// other ids written in between share its pages: larger pages mean fewer page reads and a shallower table b-tree
/// per replayed row (measured on 1M events of 8 ids interleaved: 4 KiB 0.8M, 16 KiB ≈1.0M, 64 KiB 1.0–1.5M
/// events/s). The price is the commit of a small write: each commit appends every page it changed to the WAL, so a
/// transaction of one event costs about its page size (single-event commits: 17K/s at 4 KiB, 3.4K/s at 64 KiB);
/// batched writes are unaffected.
/// </summary>
public static class SqlitePageSizes
{
    public const int Min = 512;
    public const int Max = 65536;

    /// <summary>64 KiB: the journal is read back far more than it is written one event at a time.</summary>
    public const int Default = Max;

    public static bool IsValid(int size) => size is >= Min and <= Max && (size & (size - 1)) == 0;
}
