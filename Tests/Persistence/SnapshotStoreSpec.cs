using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>The snapshot-store contract, run unchanged on every store (as Akka.Persistence.TCK's <c>SnapshotStoreSpec</c>).</summary>
public abstract class SnapshotStoreSpec : IDisposable
{
    private readonly List<ISnapshotStore> _opened = [];

    protected ManualClock Clock { get; } = new(ManualClock.Epoch);

    /// <summary>Settings of this test's own, initially empty, store.</summary>
    protected abstract SnapshotStoreSettings Settings { get; }

    protected static DateTime At(int minute) => ManualClock.Epoch.UtcDateTime.AddMinutes(minute);

    protected ISnapshotStore Open(EventRegistry? registry = null)
    {
        var store = SnapshotStore.Open(Settings, registry ?? TestEvents.Registry(), Clock);
        _opened.Add(store);
        return store;
    }

    /// <summary>Saves snapshots 1..5 of "p", taken at minutes 1..5, holding counts 10..50.</summary>
    protected static void SaveFive(ISnapshotStore store)
    {
        for (var i = 1; i <= 5; i++)
            store.Save(new SnapshotMetadata("p", i, At(i)), new CounterState(i * 10, $"s{i}"));
    }

    public virtual void Dispose()
    {
        foreach (var store in _opened)
            store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public void Load_without_snapshots_returns_null()
    {
        using var store = Open();

        Assert.Null(store.Load("p", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public void Load_returns_the_youngest_snapshot_with_its_metadata()
    {
        using var store = Open();
        SaveFive(store);

        var loaded = store.Load("p", SnapshotSelectionCriteria.Latest);

        Assert.Equal(new SnapshotMetadata("p", 5, At(5)), loaded!.Metadata);
        Assert.Equal(new CounterState(50, "s5"), loaded.Snapshot);
        Assert.Equal(DateTimeKind.Utc, loaded.Metadata.Timestamp.Kind);
    }

    [StoreFact]
    public void Load_honours_every_bound_of_the_criteria()
    {
        using var store = Open();
        SaveFive(store);

        Assert.Equal(3, store.Load("p", SnapshotSelectionCriteria.UpTo(3))!.Metadata.SequenceNr);
        Assert.Equal(2, store.Load("p", new SnapshotSelectionCriteria(long.MaxValue, At(2)))!.Metadata.SequenceNr);
        Assert.Equal(2, store.Load("p", new SnapshotSelectionCriteria(4, At(2)))!.Metadata.SequenceNr);
        Assert.Null(store.Load("p", new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue, MinSequenceNr: 6)));
        Assert.Null(store.Load("p", new SnapshotSelectionCriteria(2, DateTime.MaxValue, MinTimestamp: At(3))));
        Assert.Equal(4, store.Load("p", new SnapshotSelectionCriteria(4, DateTime.MaxValue, MinSequenceNr: 4))!.Metadata.SequenceNr);
        Assert.Null(store.Load("p", SnapshotSelectionCriteria.None));
        Assert.Null(store.Load("other", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public void Saving_at_the_same_sequence_number_replaces_the_snapshot()
    {
        using var store = Open();
        store.Save(new SnapshotMetadata("p", 1, At(1)), new CounterState(1, "old"));

        store.Save(new SnapshotMetadata("p", 1, At(2)), new CounterState(2, "new"));

        var loaded = store.Load("p", SnapshotSelectionCriteria.Latest)!;
        Assert.Equal(new CounterState(2, "new"), loaded.Snapshot);
        Assert.Equal(At(2), loaded.Metadata.Timestamp);
    }

    [StoreFact]
    public void Snapshot_saved_without_a_timestamp_is_stamped_by_the_clock()
    {
        using var store = Open();

        store.Save(new SnapshotMetadata("p", 1), new CounterState(1, "x"));

        Assert.Equal(Clock.Now.UtcDateTime, store.Load("p", SnapshotSelectionCriteria.Latest)!.Metadata.Timestamp);
    }

    [StoreFact]
    public void Delete_by_metadata_removes_exactly_that_snapshot()
    {
        using var store = Open();
        SaveFive(store);

        store.Delete(new SnapshotMetadata("p", 5));
        store.Delete(new SnapshotMetadata("p", 9));

        Assert.Equal(4, store.Load("p", SnapshotSelectionCriteria.Latest)!.Metadata.SequenceNr);
        Assert.Equal(3, store.Load("p", SnapshotSelectionCriteria.UpTo(3))!.Metadata.SequenceNr);
    }

    [StoreFact]
    public void Delete_by_criteria_removes_every_match_and_nothing_else()
    {
        using var store = Open();
        SaveFive(store);
        store.Save(new SnapshotMetadata("q", 1, At(1)), new CounterState(1, "q"));

        store.Delete("p", new SnapshotSelectionCriteria(4, DateTime.MaxValue, MinSequenceNr: 2));

        Assert.Equal(5, store.Load("p", SnapshotSelectionCriteria.Latest)!.Metadata.SequenceNr);
        Assert.Equal(1, store.Load("p", SnapshotSelectionCriteria.UpTo(4))!.Metadata.SequenceNr);
        Assert.NotNull(store.Load("q", SnapshotSelectionCriteria.Latest));
        store.Delete("p", SnapshotSelectionCriteria.Latest);
        Assert.Null(store.Load("p", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public void Unregistered_snapshot_type_is_refused_and_nothing_is_stored()
    {
        using var store = Open();

        Assert.Throws<EventNotSerializableException>(() => store.Save(new SnapshotMetadata("p", 1), new Unregistered(1)));
        Assert.Null(store.Load("p", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public void Unknown_snapshot_version_names_manifest_sequence_and_pid()
    {
        using (var writer = Open(TestEvents.Registry().Register<ProbeNarrow>(TestEvents.ProbeManifest)))
            writer.Save(new SnapshotMetadata("vm-2", 8), new ProbeNarrow(1, "b"));
        using var reader = Open();

        var e = Assert.Throws<UnknownEventManifestException>(() => reader.Load("vm-2", SnapshotSelectionCriteria.Latest));

        Assert.Contains($"snapshot version '{TestEvents.ProbeManifest}' unknown at sequence 8 of pid 'vm-2'", e.Message);
    }

    [StoreFact]
    public async Task Async_twins_behave_as_the_synchronous_methods()
    {
        await using var store = Open();
        await store.SaveAsync(new SnapshotMetadata("p", 1, At(1)), new CounterState(1, "a"));
        await store.SaveAsync(new SnapshotMetadata("p", 2, At(2)), new CounterState(2, "b"));

        Assert.Equal(2, (await store.LoadAsync("p", SnapshotSelectionCriteria.Latest))!.Metadata.SequenceNr);
        await store.DeleteAsync(new SnapshotMetadata("p", 2));
        Assert.Equal(1, (await store.LoadAsync("p", SnapshotSelectionCriteria.Latest))!.Metadata.SequenceNr);
        await store.DeleteAsync("p", SnapshotSelectionCriteria.Latest);
        Assert.Null(await store.LoadAsync("p", SnapshotSelectionCriteria.Latest));
    }
}
