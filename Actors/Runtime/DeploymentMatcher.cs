namespace Gpuvmsim.Runtime;

/// <summary>
/// Finds the deployment of an actor path (<c>akka.actor.deployment</c>): an exact key wins; otherwise a key whose
/// elements equal the path's, where an element <c>*</c> matches any one element (<c>/user/vm/*</c> matches
/// <c>/user/vm/1</c> but not <c>/user/vm/1/bo</c>). Among several patterns the one with the most literal elements
/// wins, then the first in ordinal key order, so the choice never depends on dictionary order.
/// </summary>
internal static class DeploymentMatcher
{
    /// <returns>The dispatcher id deployed for <paramref name="path"/>, or null.</returns>
    public static string? Find(IReadOnlyDictionary<string, string> deployments, string path)
    {
        if (deployments.TryGetValue(path, out var exact)) return exact;
        string? best = null;
        string? bestKey = null;
        int bestLiterals = -1;
        var elements = path.Split('/');
        foreach (var (key, id) in deployments)
        {
            if (!key.Contains('*')) continue;
            int literals = Literals(key.Split('/'), elements);
            if (literals > bestLiterals || (literals == bestLiterals && literals >= 0 && string.CompareOrdinal(key, bestKey) < 0))
            {
                best = id;
                bestKey = key;
                bestLiterals = literals;
            }
        }
        return bestLiterals >= 0 ? best : null;
    }

    /// <summary>The number of literal elements of a matching pattern, or -1 when it does not match.</summary>
    private static int Literals(string[] pattern, string[] elements)
    {
        if (pattern.Length != elements.Length) return -1;
        int literals = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == "*") continue;
            if (!string.Equals(pattern[i], elements[i], StringComparison.Ordinal)) return -1;
            literals++;
        }
        return literals;
    }
}
