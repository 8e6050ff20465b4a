using Gpuvmsim.Checking;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// The finding a shrink must keep: a candidate counts only if its run shows a finding of the same kind with the same
/// key (the same lock-class pair for an inversion, the same locks for a deadlock cycle, the same invariant).
/// </summary>
public sealed record ShrinkTarget(string Kind, string Key)
{
    public bool IsShownBy(IEnumerable<Finding> findings) => findings.Any(f => f.Kind == Kind && f.Key == Key);
}
