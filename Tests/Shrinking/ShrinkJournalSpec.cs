using Gpuvmsim.Checking;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Persistence;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;
using static Gpuvmsim.Tests.Shrinking.ShrinkFixtures;

namespace Gpuvmsim.Tests.Shrinking;

/// <summary><see cref="JournalShrinker"/> on SQLite: shorter runs with the same finding, stored next to the originals.</summary>
public sealed class ShrinkJournalSpec : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void S2_deadlock_under_close_takes_op_lock_first_shrinks_to_a_shorter_run_with_the_same_cycle()
    {
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var id = S2DeadlockJournal(store);
        var original = Snapshot(store, id);

        var shrunk = JournalShrinker.Shrink(store, id, "deadlock", RecordedAt);

        Assert.Equal(FindingKinds.Deadlock, shrunk.Finding.Kind);
        Assert.True(shrunk.ShrunkSteps < shrunk.OriginalSteps, $"steps {shrunk.OriginalSteps} -> {shrunk.ShrunkSteps}");
        Assert.True(shrunk.ShrunkScheduleLength < shrunk.OriginalScheduleLength, $"schedule {shrunk.OriginalScheduleLength} -> {shrunk.ShrunkScheduleLength}");
        Assert.Contains(shrunk.Shrunk.Findings, f => f.Key == shrunk.Finding.Key);
        AssertStoredAndLinked(store, id, shrunk);
        Assert.Equal(original, Snapshot(store, id));
        Assert.True(BindReplay.Replay(store, id).Identical);
    }

    [Fact]
    public void Lock_order_inversion_shrinks_to_the_two_contexts_and_the_two_locks_of_its_cycle()
    {
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var scenario = ScenarioParser.ParseString(NoisyAbba, "abba-noisy.conf");
        var id = RunInto(store, scenario, Design(scenario, "v2"), seed: 1);

        var shrunk = JournalShrinker.Shrink(store, id, "lock-order-inversion", RecordedAt);

        Assert.Equal("lock-order-inversion:A <-> B", shrunk.Finding.Key);
        var reduced = ScenarioParser.ParseString(shrunk.ScenarioText);
        Assert.Equal(["T1", "T2"], reduced.Contexts.Select(c => c.Name));
        Assert.Equal(["A", "B"], reduced.Locks.Select(l => l.Name));
        Assert.Equal(["lock A", "lock B", "lock B", "lock A"], reduced.Contexts.SelectMany(c => c.Steps).Select(s => s.Label));
        Assert.True(shrunk.ShrunkScheduleLength < shrunk.OriginalScheduleLength, $"schedule {shrunk.OriginalScheduleLength} -> {shrunk.ShrunkScheduleLength}");
        AssertStoredAndLinked(store, id, shrunk);
    }

    [Fact]
    public void An_inversion_found_across_two_schedules_loses_its_witness_once_one_shrunk_run_shows_the_whole_cycle()
    {
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var scenario = ScenarioParser.ParseString(GatedAbba, "gated-abba.conf");
        var id = JournalOf(store, scenario, "v2", "lock-order-inversion");
        Assert.Single(store.LoadHeader(id).Witnesses);

        // No --finding: the one the exploration journaled this run for, not the run's side findings.
        var shrunk = JournalShrinker.Shrink(store, id, null, RecordedAt);

        Assert.Equal(FindingKinds.LockOrderInversion, shrunk.Finding.Kind);
        Assert.Empty(shrunk.Shrunk.Witnesses);
        Assert.True(shrunk.ShrunkSteps < shrunk.OriginalSteps);
        AssertStoredAndLinked(store, id, shrunk);
    }

    [Fact]
    public void Shrinking_is_deterministic()
    {
        ShrunkJournal ShrinkInFreshDatabase(string name)
        {
            using var store = BindJournalStore.Open(folder.File(name), create: true);
            return JournalShrinker.Shrink(store, S2DeadlockJournal(store), "deadlock", RecordedAt);
        }

        var first = ShrinkInFreshDatabase("a.db");
        var second = ShrinkInFreshDatabase("b.db");

        Assert.Equal(first.Original.JournalId, second.Original.JournalId);
        Assert.Equal(first.Shrunk.JournalId, second.Shrunk.JournalId);
        Assert.Equal(first.Shrunk.Schedule, second.Shrunk.Schedule);
        Assert.Equal(first.ScenarioText, second.ScenarioText);
        Assert.Equal(first.Shrink.Replays, second.Shrink.Replays);
    }

    [Fact]
    public void A_spent_replay_budget_stops_the_shrink_with_a_smaller_run_that_still_replays()
    {
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var id = S2DeadlockJournal(store);

        var shrunk = JournalShrinker.Shrink(store, id, "deadlock", RecordedAt, maxReplays: 40);

        Assert.True(shrunk.Shrink.BudgetExhausted);
        Assert.True(shrunk.Shrink.Replays <= 40, $"{shrunk.Shrink.Replays} replays");
        Assert.True(shrunk.ShrunkSteps <= shrunk.OriginalSteps);
        AssertStoredAndLinked(store, id, shrunk);
    }

    [Fact]
    public void Unknown_journals_runs_without_findings_and_absent_kinds_are_input_errors()
    {
        using var store = BindJournalStore.Open(folder.File("j.db"), create: true);
        var s02 = Scenario("s02");
        var clean = RunInto(store, s02, Design(s02, "v2-fixed"), seed: 5);
        var leaky = RunInto(store, s02, Design(s02, "v2"), seed: 2);

        Assert.Contains("no bind journal r-0123456789abcdef", Assert.ThrowsAny<InputException>(() => JournalShrinker.Shrink(store, "r-0123456789abcdef", null, RecordedAt)).Message);
        Assert.Contains("'banana' is not a bind journal id", Assert.ThrowsAny<InputException>(() => JournalShrinker.Shrink(store, "banana", null, RecordedAt)).Message);
        Assert.Contains("recorded no finding", Assert.ThrowsAny<InputException>(() => JournalShrinker.Shrink(store, clean, null, RecordedAt)).Message);
        Assert.Contains("recorded no deadlock finding; it recorded [leak]", Assert.ThrowsAny<InputException>(() => JournalShrinker.Shrink(store, leaky, "deadlock", RecordedAt)).Message);
        Assert.Empty(store.ListShrunkFrom(clean));
    }

    /// <summary>The shrunk run is a new journal, linked and tagged, that replays identically with the same findings.</summary>
    private static void AssertStoredAndLinked(BindJournalStore store, string originalId, ShrunkJournal shrunk)
    {
        var newId = shrunk.Shrunk.JournalId;
        Assert.NotEqual(originalId, newId);
        Assert.Equal(originalId, store.LoadHeader(newId).ShrunkFrom);
        Assert.Equal([newId], store.ListShrunkFrom(originalId).Select(r => r.JournalId));
        var replay = BindReplay.Replay(store, newId);
        Assert.True(replay.Identical, $"{newId}: {replay.Divergence}");
        Assert.True(replay.SameFindings);
        Assert.Contains(replay.Findings, f => f.Kind == shrunk.Finding.Kind && f.Key == shrunk.Finding.Key);
    }
}
