using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>Event versioning: tolerant reads, and clear errors for versions this build does not know.</summary>
public abstract partial class JournalSpec
{
    [StoreFact]
    public void Fields_unknown_to_the_reading_type_are_ignored()
    {
        using (var writer = Open(TestEvents.Registry().Register<ProbeWide>(TestEvents.ProbeManifest)))
            Persist(writer, new AtomicWrite(new PersistentRepr("p", 1, new ProbeWide(1, "b", "added", 42))));

        using var reader = Open(TestEvents.Registry().Register<ProbeNarrow>(TestEvents.ProbeManifest));

        Assert.Equal(new ProbeNarrow(1, "b"), Assert.Single(Replay(reader, "p")).Payload);
    }

    [StoreFact]
    public void Field_added_to_an_event_still_reads_old_rows_with_its_default()
    {
        using (var writer = Open(TestEvents.Registry().Register<ProbeNarrow>(TestEvents.ProbeManifest)))
            Persist(writer, new AtomicWrite(new PersistentRepr("p", 1, new ProbeNarrow(1, "b"))));

        using var reader = Open(TestEvents.Registry().Register<ProbeWide>(TestEvents.ProbeManifest));

        Assert.Equal(new ProbeWide(1, "b", null, 0), Assert.Single(Replay(reader, "p")).Payload);
    }

    [StoreFact]
    public void Unknown_event_version_on_replay_says_which_version_sequence_and_pid()
    {
        using (var writer = Open(TestEvents.Registry().Register<ProbeNarrow>(TestEvents.ProbeManifest)))
            Persist(writer, new AtomicWrite([Event("vm-7", 1), new PersistentRepr("vm-7", 2, new ProbeNarrow(1, "b")), Event("vm-7", 3)]));
        using var reader = Open();
        var delivered = new List<PersistentRepr>();

        var e = Assert.Throws<UnknownEventManifestException>(() => reader.ReplayMessages("vm-7", 1, long.MaxValue, long.MaxValue, delivered.Add));

        Assert.Contains($"event version '{TestEvents.ProbeManifest}' unknown at sequence 2 of pid 'vm-7'", e.Message);
        Assert.Equal((TestEvents.ProbeManifest, "vm-7", 2L), (e.Manifest, e.PersistenceId, e.SequenceNr));
        Assert.Equal([1L], Sequence(delivered));
        Assert.IsAssignableFrom<InputException>(e);
        Assert.Throws<UnknownEventManifestException>(() => reader.Query.CurrentAllEvents().ToList());
    }

    [StoreFact]
    public void Event_registered_by_attribute_round_trips()
    {
        using var journal = Open(new EventRegistry().RegisterAttributed(typeof(VaInserted).Assembly));
        Persist(journal, new AtomicWrite([new PersistentRepr("p", 1, new Note("hello")), new PersistentRepr("p", 2, new CounterState(3, "x"))]));

        var events = Replay(journal, "p");

        Assert.Equal([new Note("hello"), (object)new CounterState(3, "x")], events.Select(e => e.Payload));
        Assert.Equal(["test-note.v1", "test-counter-state.v1"], events.Select(e => e.Manifest));
    }
}
