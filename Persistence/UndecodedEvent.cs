namespace Gpuvmsim.Persistence;

/// <summary>The event of a row a lenient query could not decode (unknown manifest or serializer, bytes that do not
/// read as its type); <see cref="Error"/> names the row and the fault.</summary>
internal sealed record UndecodedEvent(InputException Error);
