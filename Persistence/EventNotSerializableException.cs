namespace Gpuvmsim.Persistence;

/// <summary>
/// An event or snapshot could not be turned into bytes: its type is not registered in the
/// <see cref="Serialization.EventRegistry"/>, its JSON serialization failed, or a stored field would exceed
/// its column (persistence id 255, manifest 500, tag 64 characters). A write carrying it is rejected.
/// </summary>
public sealed class EventNotSerializableException : Exception
{
    internal EventNotSerializableException(string message, Exception? inner = null) : base(message, inner) { }
}
