using System.Text.Json.Nodes;
using Gpuvmsim.Tests.Model;

namespace Gpuvmsim.Tests.Host;

/// <summary>The gpuvm-ops verb's line handling: malformed lines, rejections, u64 numbers, unknown keys.</summary>
public sealed class GpuvmOpsCommandSpec
{
    [Fact]
    public void Malformed_lines_get_an_error_line_naming_line_and_field_and_the_other_cases_still_run()
    {
        var input = string.Join('\n',
            """{"id":"ok1","mm_start":0,"mm_range":65536,"requests":[{"op":"map","addr":4096,"range":4096,"bo":1,"offset":0}]}""",
            """{"id":"bad-json","mm_start":0,""",
            "",
            """{"id":"no-range","mm_start":0,"mm_range":65536,"requests":[{"op":"unmap","addr":4096}]}""",
            """{"id":"neg","mm_start":-1,"mm_range":65536,"requests":[]}""",
            """{"id":"ok2","mm_start":0,"mm_range":65536,"requests":[]}""");
        var lines = GpuvmOpsExamplesSpec.RunVerb(input, out var malformed).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, malformed);
        Assert.Equal(5, lines.Length);
        Assert.Equal("ok1", Id(lines[0]));
        Assert.Null(Id(lines[1]));
        Assert.StartsWith("line 2:", Error(lines[1]));
        Assert.Equal(("no-range", "line 4: field requests[0].range: missing"), (Id(lines[2]), Error(lines[2])));
        Assert.Contains("field mm_start: expected an unsigned 64-bit integer, got -1", Error(lines[3]));
        Assert.Equal("""{"id":"ok2","steps":[],"final":[]}""", lines[4]);
    }

    [Fact]
    public void A_rejected_request_makes_its_case_an_error_line_and_processing_continues()
    {
        var input = string.Join('\n',
            """{"id":"out","mm_start":65536,"mm_range":65536,"requests":[{"op":"map","addr":4096,"range":4096,"bo":1,"offset":0}]}""",
            """{"id":"next","mm_start":0,"mm_range":65536,"requests":[{"op":"unmap","addr":0,"range":4096}]}""");
        var lines = GpuvmOpsExamplesSpec.RunVerb(input, out var malformed).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, malformed);
        Assert.Equal("out", Id(lines[0]));
        Assert.Contains("request 0 (map)", Error(lines[0]));
        Assert.Contains("outside the VA space", Error(lines[0]));
        Assert.Equal("""{"id":"next","steps":[[]],"final":[]}""", lines[1]);
    }

    [Fact]
    public void U64_numbers_and_extreme_bo_ids_round_trip_without_loss_and_unknown_keys_are_ignored()
    {
        var input = """{"id":"big","x":{"y":[1,2]},"mm_start":18446744073709486080,"mm_range":32768,"note":"n","requests":[{"op":"map","addr":18446744073709486080,"range":16384,"bo":9223372036854775807,"offset":18446744073709547520,"extra":true}],"steps":"ignored","final":null}""";
        var line = GpuvmOpsExamplesSpec.RunVerb(input, out _).Trim();
        Assert.Equal(
            """{"id":"big","steps":[[{"op":"map","addr":18446744073709486080,"range":16384,"bo":9223372036854775807,"offset":18446744073709547520}]],"final":[{"addr":18446744073709486080,"range":16384,"bo":9223372036854775807,"offset":18446744073709547520}]}""",
            line);
    }

    [Fact]
    public void Strict_mode_rejects_what_the_kernel_accepts()
    {
        var input = """{"id":"z","mm_start":0,"mm_range":65536,"requests":[{"op":"unmap","addr":4096,"range":0}]}""";
        Assert.Equal("""{"id":"z","steps":[[]],"final":[]}""", GpuvmOpsExamplesSpec.RunVerb(input, out _).Trim());
        Assert.Contains("range is 0", Error(GpuvmOpsExamplesSpec.RunVerb(input, out _, strict: true).Trim()));
    }

    private static string? Id(string line) => JsonNode.Parse(line)!["id"]?.GetValue<string>();

    private static string Error(string line) => JsonNode.Parse(line)!["error"]!.GetValue<string>();
}
