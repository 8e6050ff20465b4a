using System.Text.Json;
using Gpuvmsim.Exploration;

namespace Gpuvmsim.Persistence.Jobs;

/// <summary>The JSON columns of the job tables: a done range's <c>result</c> (<c>{"start":…, "end":…, "deliveries":…, "notable":[{"index":…, "schedule":"…"}]}</c>) and a job's <c>knobs</c>.</summary>
internal static class JobJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Write(RangeResult result) => JsonSerializer.Serialize(result, Options);

    public static RangeResult Read(string json) =>
        JsonSerializer.Deserialize<RangeResult>(json, Options) ?? throw new InvalidDataException("a range result is null");

    public static string WriteKnobs(IReadOnlyDictionary<string, string> knobs) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(knobs.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> ReadKnobs(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
