namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The recorded deliveries of a deterministic run, as structs in one growing array (no formatting while running).
/// Render with <see cref="TraceFormatter"/>, hash with <see cref="TraceHash"/>, compare with <see cref="TraceComparer"/>.
/// Read it on the driver's thread.
/// </summary>
public sealed class DeliveryTrace
{
    private DeliveryRecord[] _records;
    private int _count;

    internal DeliveryTrace(ActorSystem system, int capacity)
    {
        System = system;
        _records = new DeliveryRecord[Math.Max(16, capacity)];
    }

    public ActorSystem System { get; }

    public int Count => _count;

    public ref readonly DeliveryRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return ref _records[index];
        }
    }

    public ReadOnlySpan<DeliveryRecord> Records => _records.AsSpan(0, _count);

    internal void Add(in DeliveryRecord record)
    {
        if (_count == _records.Length) Array.Resize(ref _records, _records.Length * 2);
        _records[_count++] = record;
    }

    /// <summary>The canonical text (<see cref="TraceFormatter.Format(DeliveryTrace)"/>).</summary>
    public string ToText() => TraceFormatter.Format(this);
}
