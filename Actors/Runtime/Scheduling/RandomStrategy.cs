using System.Runtime.CompilerServices;

namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>Uniformly random among the enabled deliveries (xoshiro256**); iteration <c>i</c> uses a seed derived from
/// (<see cref="Seed"/>, i), so every run is reproducible from the seed and its iteration number.</summary>
public sealed class RandomStrategy : ExplorationStrategy
{
    public const string StrategyName = "random";

    private Xoshiro256 _rng;

    public RandomStrategy(ulong seed)
    {
        Seed = seed;
        _rng = new Xoshiro256(Xoshiro256.Derive(seed, 0));
    }

    public ulong Seed { get; }

    public override string Name => StrategyName;

    public override string Description => $"random[seed:{Seed}]";

    protected override void OnPrepareIteration(int iteration) => _rng = new Xoshiro256(Xoshiro256.Derive(Seed, iteration));

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step) => Choose(enabled.Length);

    /// <summary>The rule itself, called without a virtual call by <see cref="ExplorationStrategy.NextDelivery"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Choose(int count) => count == 1 ? 0 : _rng.NextInt(count);

    protected override int ChooseValue(int count, long step) => count == 1 ? 0 : _rng.NextInt(count);
}
