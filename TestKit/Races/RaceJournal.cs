using Gpuvmsim.Persistence.BindJournals;
using Xunit.Sdk;

namespace Gpuvmsim.TestKit.Races;

/// <summary>
/// A bind journal handed over by a colleague or a CI job, replayed in a test:
/// <code>
/// RaceJournal.Replay("bugs/vm-close.db", "r-94d354da5af8f1b2").AssertIdentical().AssertVerdict("leak");
/// </code>
/// </summary>
public sealed class RaceJournal(ReplayReport report)
{
    public ReplayReport Report { get; } = report;

    /// <summary>Opens <paramref name="database"/> (SQLite file or PostgreSQL URL), replays <paramref name="journalId"/> and closes it.</summary>
    public static RaceJournal Replay(string database, string journalId, ReplayOptions? options = null)
    {
        using var store = BindJournalStore.Open(database, create: false);
        return new RaceJournal(BindReplay.Replay(store, journalId, options));
    }

    /// <summary>The replay reproduced the recorded run byte for byte (trace hash) with the same findings.</summary>
    public RaceJournal AssertIdentical()
    {
        if (!Report.Identical || !Report.SameFindings)
            throw new XunitException($"journal {Report.JournalId} did not replay identically: " +
                $"{Report.Divergence?.ToString() ?? "same trace"}; recorded [{string.Join(", ", Report.Recorded.Verdict)}], replayed [{string.Join(", ", Report.Verdict)}]");
        return this;
    }

    /// <summary>Exactly these finding kinds, in the order the run showed them.</summary>
    public RaceJournal AssertVerdict(params string[] kinds)
    {
        if (!Report.Verdict.SequenceEqual(kinds))
            throw new XunitException($"journal {Report.JournalId}: expected [{string.Join(", ", kinds)}], replayed [{string.Join(", ", Report.Verdict)}]");
        return this;
    }
}
