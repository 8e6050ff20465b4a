using Gpuvmsim.Exploration;
using Xunit.Sdk;

namespace Gpuvmsim.TestKit.Races;

/// <summary>One replayed run: its findings, trace and interleaving, with assertions.</summary>
public sealed class RaceRun(Reproduction replay)
{
    public Reproduction Replay { get; } = replay;

    public IReadOnlyList<string> Verdict => Replay.Verdict;

    public string TraceSha256 => Replay.TraceSha256;

    /// <summary>The run shows a finding of <paramref name="kind"/> (and the replay fitted its schedule).</summary>
    public RaceRun AssertShows(string kind)
    {
        if (Replay.Diverged is { } diverged)
            throw new XunitException($"the schedule does not fit the scenario any more: {diverged.Message}");
        if (!Verdict.Contains(kind))
            throw new XunitException($"expected {kind}, the replay shows [{string.Join(", ", Verdict)}]\n{InterleavingTable.Render(Replay.Run?.Events ?? [])}");
        return this;
    }

    /// <summary>The replayed trace hashes to <paramref name="sha256"/> (as printed by explore or stored in a journal).</summary>
    public RaceRun AssertTrace(string sha256)
    {
        if (TraceSha256 != sha256)
            throw new XunitException($"the replayed trace hashes to {TraceSha256}, not {sha256}");
        return this;
    }
}
