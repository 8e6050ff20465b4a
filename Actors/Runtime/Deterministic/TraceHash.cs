using System.Text;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>SHA-256 of the canonical trace text (UTF-8), as 64 lowercase hex digits: the <c>trace_sha256</c> of reports.</summary>
public static class TraceHash
{
    public static string Sha256(DeliveryTrace trace) => Sha256(TraceFormatter.Format(trace));

    public static string Sha256(string traceText)
    {
        ArgumentNullException.ThrowIfNull(traceText);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(traceText)));
    }
}
