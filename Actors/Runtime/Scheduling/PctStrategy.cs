namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte: "A Randomized Scheduler with
/// Probabilistic Guarantees of Finding Bugs", ASPLOS 2010), with actors (receivers) in the role of threads.
/// Each run gives the actors random distinct priorities (an actor first seen mid-run is inserted at a random rank) and
/// picks <c>d − 1</c> change points uniformly in [0, k), where k estimates the run length; at every step it delivers to
/// the highest-priority actor that has an enabled delivery, and at a change point that actor drops to the lowest
/// priority first. Among the chosen actor's enabled channels one is picked at random. A bug of depth d is found with
/// probability at least 1/(n·k^(d−1)) per run. The estimate k is learned across iterations: it is the longest run seen
/// so far (initially 100).
/// </summary>
public sealed class PctStrategy : ExplorationStrategy
{
    public const string StrategyName = "pct";

    private const long InitialStepEstimate = 100;

    private readonly List<int> _byPriority = [];
    private readonly Dictionary<int, int> _rank = [];
    private readonly HashSet<long> _changePoints = [];
    private Xoshiro256 _rng;
    private long _stepEstimate = InitialStepEstimate;
    private long _longestRun;

    public PctStrategy(ulong seed, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        Seed = seed;
        Depth = depth;
        Reset(0);
    }

    public ulong Seed { get; }

    /// <summary>The bug depth d: d − 1 priority change points per run.</summary>
    public int Depth { get; }

    /// <summary>The current estimate k of a run's length in steps.</summary>
    public long StepEstimate => _stepEstimate;

    /// <summary>This run's change points (steps), for diagnostics.</summary>
    public IReadOnlyCollection<long> ChangePoints => _changePoints;

    public override string Name => StrategyName;

    public override string Description => $"pct[seed:{Seed},depth:{Depth}]";

    protected override void OnPrepareIteration(int iteration)
    {
        if (_longestRun > _stepEstimate) _stepEstimate = _longestRun;
        Reset(iteration);
    }

    private void Reset(int iteration)
    {
        _rng = new Xoshiro256(Xoshiro256.Derive(Seed, iteration));
        _byPriority.Clear();
        _rank.Clear();
        _changePoints.Clear();
        _longestRun = 0;
        int wanted = (int)Math.Min(Depth - 1, _stepEstimate);
        while (_changePoints.Count < wanted) _changePoints.Add(_rng.NextInt((int)Math.Min(_stepEstimate, int.MaxValue)));
    }

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        if (step + 1 > _longestRun) _longestRun = step + 1;
        foreach (ref readonly var c in enabled)
            if (!_rank.ContainsKey(c.ReceiverId)) Insert(c.ReceiverId);

        int actor = HighestEnabled(enabled);
        if (_changePoints.Contains(step))
        {
            _byPriority.Remove(actor);
            _byPriority.Add(actor);
            Reindex();
            actor = HighestEnabled(enabled);
        }

        int matching = 0;
        foreach (ref readonly var c in enabled)
            if (c.ReceiverId == actor) matching++;
        int pick = matching == 1 ? 0 : _rng.NextInt(matching);
        for (int i = 0; i < enabled.Length; i++)
            if (enabled[i].ReceiverId == actor && pick-- == 0) return i;
        throw new InvalidOperationException("PCT: no candidate for the chosen actor");
    }

    protected override int ChooseValue(int count, long step) => count == 1 ? 0 : _rng.NextInt(count);

    private int HighestEnabled(ReadOnlySpan<DeliveryCandidate> enabled)
    {
        int best = -1, bestRank = int.MaxValue;
        foreach (ref readonly var c in enabled)
        {
            int rank = _rank[c.ReceiverId];
            if (rank < bestRank)
            {
                bestRank = rank;
                best = c.ReceiverId;
            }
        }
        return best;
    }

    private void Insert(int actor)
    {
        _byPriority.Insert(_rng.NextInt(_byPriority.Count + 1), actor);
        Reindex();
    }

    private void Reindex()
    {
        for (int i = 0; i < _byPriority.Count; i++) _rank[_byPriority[i]] = i;
    }
}
