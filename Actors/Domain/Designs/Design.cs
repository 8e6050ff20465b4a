using System.Collections.Immutable;

namespace Gpuvmsim.Domain.Designs;

/// <summary>
/// A named set of knob values: the driver behaviour a run simulates. Built-in designs come from
/// <see cref="DesignCatalog"/>; a scenario or the command line can derive new ones (<see cref="With"/>).
/// </summary>
public sealed record Design(string Name, string Description, ImmutableSortedDictionary<string, string> Values)
{
    public string this[Knob knob] => Values[knob.Name];

    public bool IsOn(Knob knob) => Values[knob.Name] == "on";

    public int IntOf(Knob knob) => int.Parse(Values[knob.Name], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lock ordering the VM_BIND paths use (<see cref="Knobs.LockOrder"/>).</summary>
    public string LockOrder => Values[Knobs.LockOrder.Name];

    /// <summary>A design derived from this one with some knobs changed; each value is validated.</summary>
    public Design With(string name, IEnumerable<KeyValuePair<string, string>> changes, string? description = null)
    {
        var values = Values;
        foreach (var (knobName, value) in changes)
        {
            var knob = Knobs.Find(knobName);
            values = values.SetItem(knob.Name, knob.Normalize(value));
        }
        return new Design(name, description ?? $"{Name} with {string.Join(", ", changes.Select(c => $"{c.Key}={c.Value}"))}", values);
    }

    /// <summary>The knobs whose value differs from <paramref name="other"/>, as <c>name=value</c>.</summary>
    public IEnumerable<string> DiffFrom(Design other) =>
        Values.Where(kv => other.Values[kv.Key] != kv.Value).Select(kv => $"{kv.Key}={kv.Value}");

    public override string ToString() => Name;
}
