namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>
/// Decides, at each step of a deterministic run, which enabled delivery happens next, and picks nondeterministic values.
/// A strategy writes only its choice rule (<see cref="ChooseDelivery"/>, <see cref="ChooseValue"/>): the non-virtual
/// entry points <see cref="NextDelivery"/> and <see cref="NextValue"/> first replay the recorded prefix, if one is set,
/// and throw <see cref="ScheduleDivergedException"/> when it no longer fits. The driver never names a concrete strategy.
/// One instance serves one run at a time; an explorer reuses it across runs, calling <see cref="PrepareIteration"/>
/// before each (random and PCT derive that run's seed from the iteration number).
/// </summary>
public abstract class ExplorationStrategy
{
    private Schedule? _prefix;
    private int _prefixPosition;

    /// <summary>The stable kebab-case name used by the CLI, journals and reports (e.g. <c>pct</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The name with its parameters, e.g. <c>pct[seed:42,depth:3]</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The iteration set by the last <see cref="PrepareIteration"/> (0 before any).</summary>
    public int Iteration { get; private set; }

    /// <summary>The schedule replayed before the strategy's own choices, if any.</summary>
    public Schedule? ReplayPrefix => _prefix;

    /// <summary>True while choices still come from the replay prefix.</summary>
    public bool IsReplaying => _prefix is not null && _prefixPosition < _prefix.Count;

    /// <summary>Sets the schedule to replay first (null for none) and rewinds it.</summary>
    public void SetReplayPrefix(Schedule? prefix)
    {
        _prefix = prefix;
        _prefixPosition = 0;
    }

    /// <summary>Starts run number <paramref name="iteration"/>: rewinds the replay prefix and lets the strategy reseed.</summary>
    public void PrepareIteration(int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        Iteration = iteration;
        _prefixPosition = 0;
        OnPrepareIteration(iteration);
    }

    /// <summary>Returns the index in <paramref name="enabled"/> (never empty) of the delivery to make at <paramref name="step"/>.</summary>
    public int NextDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        if (_prefix is not null && _prefixPosition < _prefix.Count) return ReplayDelivery(enabled, step);
        // The most used strategy gets its rule inlined: a sealed-type test is one compare, a virtual call is not free
        // on a path that runs once per delivery.
        if (this is RandomStrategy random) return random.Choose(enabled.Length);
        return ChooseDelivery(enabled, step);
    }

    /// <summary>Returns a value in [0, <paramref name="count"/>).</summary>
    public int NextValue(int count, long step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (_prefix is not null && _prefixPosition < _prefix.Count)
        {
            int index = _prefixPosition;
            var expected = _prefix[index];
            if (expected.Kind != ScheduleChoiceKind.Value || expected.Value >= count)
                throw new ScheduleDivergedException(Description, step, index, expected.ToString(),
                    $"the program asked for a value in [0, {count})");
            _prefixPosition++;
            return expected.Value;
        }
        return ChooseValue(count, step);
    }

    /// <summary>The strategy's rule: the index of the delivery to make (0 ≤ result &lt; enabled.Length).</summary>
    protected abstract int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step);

    /// <summary>The strategy's rule for a nondeterministic value in [0, <paramref name="count"/>).</summary>
    protected abstract int ChooseValue(int count, long step);

    /// <summary>Reseeds or resets per-run state.</summary>
    protected virtual void OnPrepareIteration(int iteration) { }

    private int ReplayDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        int index = _prefixPosition;
        var expected = _prefix![index];
        if (expected.IsDelivery)
        {
            for (int i = 0; i < enabled.Length; i++)
            {
                if (expected.Matches(enabled[i]))
                {
                    _prefixPosition++;
                    return i;
                }
            }
        }
        var found = new System.Text.StringBuilder("the enabled deliveries are [");
        for (int i = 0; i < enabled.Length; i++) found.Append(i == 0 ? "" : ", ").Append(enabled[i]);
        found.Append(']');
        if (!expected.IsDelivery) found.Insert(0, "the program made a delivery step instead; ");
        throw new ScheduleDivergedException(Description, step, index, expected.ToString(), found.ToString());
    }
}
