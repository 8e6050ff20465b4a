namespace Gpuvmsim.Messages.Contexts;

/// <summary>Sent once by the run to every scripted context: begin executing your steps. No answer.</summary>
public sealed record StartScript
{
    public static StartScript Instance { get; } = new();

    public override string ToString() => "StartScript";
}
