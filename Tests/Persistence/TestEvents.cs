using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>A GPU VA range mapped: the typical small journal event.</summary>
[EventManifest("test-va-inserted.v1")]
public sealed record VaInserted(long Va, long Range, int Bo);

/// <summary>A free-text note; large ones make large payloads.</summary>
[EventManifest("test-note.v1")]
public sealed record Note(string Text);

/// <summary>A snapshot state.</summary>
[EventManifest("test-counter-state.v1")]
public sealed record CounterState(int Count, string Label);

/// <summary>A type nobody registers.</summary>
public sealed record Unregistered(int X);

/// <summary>Version 1 of an event, as first written.</summary>
public sealed record ProbeNarrow(int A, string B);

/// <summary>The same event after a field was added (same manifest: old rows must still read).</summary>
public sealed record ProbeWide(int A, string B, string? Added, int AddedNumber);

/// <summary>Fixed, settable time: tests never read the real clock.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static DateTimeOffset Epoch { get; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}

public static class TestEvents
{
    public const string ProbeManifest = "test-probe.v1";

    /// <summary>The registry every contract test writes with.</summary>
    public static EventRegistry Registry() => new EventRegistry()
        .Register<VaInserted>("test-va-inserted.v1")
        .Register<Note>("test-note.v1")
        .Register<CounterState>("test-counter-state.v1");
}
