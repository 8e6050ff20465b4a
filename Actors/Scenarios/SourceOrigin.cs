namespace Gpuvmsim.Scenarios;

/// <summary>Where something was written: <c>file:line:column</c>, 1-based.</summary>
public sealed record SourceOrigin(string File, int Line, int Column)
{
    public static SourceOrigin None { get; } = new("<none>", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";

    /// <summary>An input error located here: <c>file:line:column: message</c>.</summary>
    public InputException Error(string message) => new($"{this}: {message}");
}
