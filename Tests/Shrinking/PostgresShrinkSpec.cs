using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Tests.Persistence;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;
using static Gpuvmsim.Tests.Shrinking.ShrinkFixtures;

namespace Gpuvmsim.Tests.Shrinking;

/// <summary>Shrinking a journal stored on PostgreSQL: the same shrunk run, link and tag as on SQLite.</summary>
public sealed class PostgresShrinkSpec : IDisposable
{
    private readonly string schema = PostgresServer.NewSchemaName();
    private readonly TempDirectory folder = new();

    public void Dispose()
    {
        folder.Dispose();
        if (PostgresServer.ConnectionString is not null)
            PostgresServer.DropSchema(schema);
    }

    [PostgresFact]
    public void S2_deadlock_shrinks_on_postgres_as_on_sqlite()
    {
        using var postgres = BindJournalStore.Open(PostgresServer.Journal(schema), $"postgres schema {schema}");
        using var sqlite = BindJournalStore.Open(folder.File("j.db"), create: true);
        var id = S2DeadlockJournal(postgres);
        Assert.Equal(id, S2DeadlockJournal(sqlite));
        var original = Snapshot(postgres, id);

        var shrunk = JournalShrinker.Shrink(postgres, id, "deadlock", RecordedAt);

        Assert.Equal(JournalShrinker.Shrink(sqlite, id, "deadlock", RecordedAt).Shrunk.JournalId, shrunk.Shrunk.JournalId);
        Assert.True(shrunk.ShrunkSteps < shrunk.OriginalSteps);
        Assert.True(shrunk.ShrunkScheduleLength < shrunk.OriginalScheduleLength);
        Assert.Equal([shrunk.Shrunk.JournalId], postgres.ListShrunkFrom(id).Select(r => r.JournalId));
        Assert.Equal(id, postgres.LoadHeader(shrunk.Shrunk.JournalId).ShrunkFrom);
        var replay = BindReplay.Replay(postgres, shrunk.Shrunk.JournalId);
        Assert.True(replay.Identical, $"{shrunk.Shrunk.JournalId}: {replay.Divergence}");
        Assert.True(replay.SameFindings);
        Assert.Equal(original, Snapshot(postgres, id));
    }
}
