using System.Security.Cryptography;
using System.Text;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>
/// Journal ids and the persistence ids of their streams. A run's id is a content address (<c>r-</c> and 16 hex digits
/// of a SHA-256 over what makes the run): journaling the same run twice finds the journal already there. An
/// exploration's id is unique per invocation (<c>x-</c> and 16 random hex digits).
/// </summary>
public static class BindJournalIds
{
    public const string RunPrefix = "r-";
    public const string ExplorationPrefix = "x-";

    public static string ForRun(
        string scenarioSha256, IReadOnlyDictionary<string, string> knobs, string schedule, IEnumerable<string> witnessSchedules, string traceSha256, string? shrunkFrom)
    {
        var content = new StringBuilder()
            .Append(scenarioSha256).Append('\n')
            .AppendJoin(',', knobs.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")).Append('\n')
            .Append(schedule).Append('\n')
            .AppendJoin(',', witnessSchedules).Append('\n')
            .Append(traceSha256).Append('\n')
            .Append(shrunkFrom);
        return RunPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())))[..16];
    }

    public static string NewExploration() => ExplorationPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private const string RunStreamPrefix = "bind/";
    private const string ExplorationStreamPrefix = "exploration/";

    /// <summary>The stream of a run's header and trace.</summary>
    public static string RunStream(string journalId) => RunStreamPrefix + journalId;

    /// <summary>The journal id a run stream is named after (what follows <c>bind/</c>; the name itself for another stream).</summary>
    public static string JournalIdOfRunStream(string stream) => WithoutPrefix(stream, RunStreamPrefix);

    /// <summary>The stream of one world actor of a run, e.g. <c>bind/r-…/vm/V</c>.</summary>
    public static string ActorStream(string journalId, string actor) => $"bind/{journalId}/{actor}";

    public static string ExplorationStream(string explorationId) => ExplorationStreamPrefix + explorationId;

    /// <summary>The exploration id an exploration stream is named after, as <see cref="JournalIdOfRunStream"/>.</summary>
    public static string ExplorationIdOfStream(string stream) => WithoutPrefix(stream, ExplorationStreamPrefix);

    private static string WithoutPrefix(string stream, string prefix) =>
        stream.StartsWith(prefix, StringComparison.Ordinal) ? stream[prefix.Length..] : stream;

    /// <summary>True for something shaped like a run or exploration id (checked before any query).</summary>
    public static bool IsWellFormed(string id) =>
        (id.StartsWith(RunPrefix, StringComparison.Ordinal) || id.StartsWith(ExplorationPrefix, StringComparison.Ordinal)) &&
        id.Length == 18 && id[2..].All(char.IsAsciiHexDigitLower);
}
