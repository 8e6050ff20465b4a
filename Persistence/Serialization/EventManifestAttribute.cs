namespace Gpuvmsim.Persistence.Serialization;

/// <summary>
/// Names the manifest under which a journal event (or snapshot) type is stored, e.g.
/// <c>[EventManifest("va-inserted.v1")]</c>. The manifest is the event's version: a change that old rows cannot
/// be read into (a renamed or retyped field) is a new type with a new manifest, and both stay registered.
/// Picked up by <see cref="EventRegistry.RegisterAttributed"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class EventManifestAttribute(string manifest) : Attribute
{
    /// <summary>The stored manifest (at most 500 characters, the <c>manifest</c> column's length).</summary>
    public string Manifest { get; } = manifest;
}
