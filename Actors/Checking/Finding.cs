namespace Gpuvmsim.Checking;

/// <summary>
/// One thing a run found. <see cref="Key"/> identifies it across schedules (kind plus the locks or the
/// invariant involved), so an exploration lists each distinct finding once.
/// </summary>
/// <param name="Kind">One of <see cref="FindingKinds"/>.</param>
/// <param name="Key">Deduplication key: the kind and what is involved, never schedule-specific details.</param>
/// <param name="Summary">One line for tables and JSON.</param>
/// <param name="Report">The full report: a lockdep-style splat or a multi-line explanation.</param>
/// <param name="Step">The delivery step at which it was found (ordering within a run).</param>
public sealed record Finding(string Kind, string Key, string Summary, string Report, long Step)
{
    public override string ToString() => $"{Kind}: {Summary}";
}
