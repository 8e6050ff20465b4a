using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Exhaustive depth-first search over every choice of the deterministic dispatcher (which delivery next, which
/// nondeterministic value), by re-execution: each run replays the path of choices up to the deepest choice point
/// with an untried option, takes that option, then always takes option 0 until the run ends or reaches a state
/// explored before (stateless model checking with state caching, as in CHESS and Coyote's DFS).
/// One instance drives one search; it is not shared between threads.
/// </summary>
public sealed class DfsStrategy : ExplorationStrategy
{
    public const string StrategyName = "dfs";

    private readonly List<int> path = [];
    private readonly List<int> widths = [];
    private int depth;
    private int prefixLength;

    public override string Name => StrategyName;

    public override string Description => StrategyName;

    /// <summary>True once the current run has made its new choice: states from here on may be pruned.</summary>
    public bool PastPrefix => depth >= prefixLength;

    /// <summary>Number of choice points of the current path.</summary>
    public int Depth => path.Count;

    /// <summary>
    /// Prepares the next run: backtracks to the deepest choice point that has an option not yet tried.
    /// Returns false when every option of every choice point was tried: the search space is exhausted.
    /// </summary>
    public bool Advance()
    {
        for (var d = path.Count - 1; d >= 0; d--)
        {
            if (path[d] + 1 < widths[d])
            {
                path[d]++;
                path.RemoveRange(d + 1, path.Count - d - 1);
                widths.RemoveRange(d + 1, widths.Count - d - 1);
                prefixLength = d + 1;
                depth = 0;
                return true;
            }
        }
        return false;
    }

    /// <summary>Restricts the search to the subtree below <paramref name="prefix"/> (a list of option indices).</summary>
    public void StartBelow(IReadOnlyList<(int Choice, int Width)> prefix)
    {
        path.Clear();
        widths.Clear();
        foreach (var (choice, width) in prefix)
        {
            path.Add(choice);
            widths.Add(width);
        }
        Floor = prefix.Count;
        prefixLength = prefix.Count;
        depth = 0;
    }

    /// <summary>Choice points below this depth are fixed (a subtree search never backtracks above it).</summary>
    public int Floor { get; private set; }

    /// <summary>Like <see cref="Advance"/>, but never changes a choice above <see cref="Floor"/>.</summary>
    public bool AdvanceWithinSubtree()
    {
        for (var d = path.Count - 1; d >= Floor; d--)
        {
            if (path[d] + 1 < widths[d])
            {
                path[d]++;
                path.RemoveRange(d + 1, path.Count - d - 1);
                widths.RemoveRange(d + 1, widths.Count - d - 1);
                prefixLength = d + 1;
                depth = 0;
                return true;
            }
        }
        return false;
    }

    /// <summary>The choice points of the current path as (chosen option, number of options).</summary>
    public IReadOnlyList<(int Choice, int Width)> Path => path.Zip(widths).ToList();

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step) => Choose(enabled.Length);

    protected override int ChooseValue(int count, long step) => Choose(count);

    private int Choose(int width)
    {
        if (depth < path.Count)
        {
            if (widths[depth] != width)
                throw new InvalidOperationException(
                    $"dfs: the run diverged from its replayed path at choice point {depth}: {widths[depth]} options recorded, {width} now (a nondeterministic scenario?)");
            return path[depth++];
        }
        path.Add(0);
        widths.Add(width);
        depth++;
        return 0;
    }
}
