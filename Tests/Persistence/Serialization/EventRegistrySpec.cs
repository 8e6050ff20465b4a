using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Tests.Persistence.Serialization;

public sealed class EventRegistrySpec
{
    [Fact]
    public void Registry_maps_each_type_to_one_manifest_and_back()
    {
        var registry = new EventRegistry().Register<VaInserted>("va-inserted.v1").Register<VaInserted>("va-inserted.v1");

        Assert.True(registry.TryGetManifest(typeof(VaInserted), out var manifest));
        Assert.Equal("va-inserted.v1", manifest);
        Assert.True(registry.TryGetType("va-inserted.v1", out var type));
        Assert.Equal(typeof(VaInserted), type);
        Assert.False(registry.TryGetManifest(typeof(Note), out _));
        Assert.False(registry.TryGetType("va-inserted.v2", out _));
        Assert.Equal(["va-inserted.v1"], registry.Manifests);
    }

    [Fact]
    public void Registering_a_type_or_manifest_twice_differently_is_refused()
    {
        var registry = new EventRegistry().Register<VaInserted>("va-inserted.v1");

        Assert.Contains("already registered as 'va-inserted.v1'", Assert.Throws<ArgumentException>(() => registry.Register<VaInserted>("va-inserted.v2")).Message);
        Assert.Contains("already registered for", Assert.Throws<ArgumentException>(() => registry.Register<Note>("va-inserted.v1")).Message);
        Assert.Throws<ArgumentException>(() => registry.Register<Note>(" "));
        Assert.Throws<ArgumentException>(() => registry.Register<Note>(new string('m', 501)));
        Assert.Throws<ArgumentException>(() => registry.Register(typeof(IDisposable), "x.v1"));
    }

    [Fact]
    public void Attributed_types_of_an_assembly_are_registered_under_their_manifests()
    {
        var registry = new EventRegistry().RegisterAttributed(typeof(VaInserted).Assembly);

        Assert.True(registry.TryGetManifest(typeof(VaInserted), out var manifest));
        Assert.Equal("test-va-inserted.v1", manifest);
        Assert.True(registry.TryGetType("test-counter-state.v1", out _));
        Assert.False(registry.TryGetManifest(typeof(Unregistered), out _));
    }

    [Fact]
    public void Json_is_camel_cased_and_reads_back_into_the_registered_type()
    {
        var registry = TestEvents.Registry();

        var bytes = registry.Serialize(new CounterState(7, "x"), out var manifest);
        var back = registry.Deserialize(bytes, EventRegistry.SerializerId, manifest, new RowLocation("db", "p", 1));

        Assert.Equal("""{"count":7,"label":"x"}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("test-counter-state.v1", manifest);
        Assert.Equal(new CounterState(7, "x"), back);
    }

    [Fact]
    public void Unregistered_type_is_refused_with_how_to_register_it()
    {
        var e = Assert.Throws<EventNotSerializableException>(() => TestEvents.Registry().Serialize(new Unregistered(1), out _));

        Assert.Contains("EventManifest", e.Message);
        Assert.Contains("test-note.v1", e.Message);
    }

    [Fact]
    public void Foreign_serializer_id_is_an_unknown_version_naming_the_row()
    {
        var e = Assert.Throws<UnknownEventManifestException>(() =>
            TestEvents.Registry().Deserialize("{}"u8, 1, "test-note.v1", new RowLocation("run.db", "vm-1", 5)));

        Assert.Contains("run.db: event serializer id 1 unknown at sequence 5 of pid 'vm-1'", e.Message);
    }

    [Fact]
    public void Invalid_json_is_unreadable_naming_the_row_and_the_type()
    {
        var e = Assert.Throws<UnreadableEventException>(() =>
            TestEvents.Registry().Deserialize("{\"count\":\"seven\"}"u8, EventRegistry.SerializerId, "test-counter-state.v1", new RowLocation("run.db", "vm-1", 5)));

        Assert.Contains("run.db: event at sequence 5 of pid 'vm-1' cannot be read as 'test-counter-state.v1'", e.Message);
    }

    [Theory]
    [InlineData("{\"label\":null,\"count\":1}")]
    [InlineData("{\"count\":1}")]
    public void A_null_or_missing_field_the_type_does_not_allow_to_be_null_is_unreadable_naming_the_row_and_the_field(string json)
    {
        var e = Assert.Throws<UnreadableEventException>(() =>
            TestEvents.Registry().Deserialize(System.Text.Encoding.UTF8.GetBytes(json), EventRegistry.SerializerId, "test-counter-state.v1", new RowLocation("run.db", "vm-1", 5)));

        Assert.Contains("run.db: event at sequence 5 of pid 'vm-1' cannot be read as 'test-counter-state.v1'", e.Message);
        Assert.Contains("label", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
