using System.CommandLine;
using System.Text;
using Gpuvmsim.Model;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// <c>gpuvmsim gpuvm-ops [--strict] [--page-size N]</c>: the check against the kernel. Reads
/// split/merge cases as JSON Lines on stdin (shared/spec/gpuvm-ops-format.md) and writes one
/// line per case, <c>{"id","steps","final"}</c>, computed by the model (GpuvmOpsRunner), in input order.
/// <list type="bullet">
/// <item>A request the model rejects (drm_gpuvm_range_valid, or the msm rules with --strict) gives
/// <c>{"id":...,"error":"..."}</c> for that case; processing continues; this is the verb doing its work (exit 0).</item>
/// <item>A malformed line (bad JSON, a missing or mistyped field) also gets an error line, naming the
/// line and the field or column, so the output keeps one line per input line; processing continues,
/// and each is reported on stderr as <c>stdin:LINE[:COLUMN]: ...</c>. Because bad input is exit status 2 in
/// shared/spec/cli-contract.md, the verb then exits 2 once every line is done.</item>
/// <item>Blank lines are skipped. If stdin cannot be read at all, exit 2 with the reason.</item>
/// </list>
/// </summary>
internal static class GpuvmOpsCommand
{
    public static Command Create()
    {
        var strict = new Option<bool>("--strict")
        {
            Description = "check requests with msm's rules (page-aligned, range > 0) instead of drm_gpuvm_range_valid only",
        };
        var pageSize = new Option<ulong>("--page-size")
        {
            Description = "page size for --strict (default 4096)",
            DefaultValueFactory = _ => RequestValidator.DefaultPageSize,
        };
        var command = new Command("gpuvm-ops", "Run gpuvm split/merge test cases (JSON Lines on stdin) through the model.") { strict, pageSize };
        command.SetGuardedAction(parse =>
        {
            using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
            using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            var malformed = Process(stdin, stdout, Console.Error, parse.GetValue(strict), parse.GetValue(pageSize));
            return malformed == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return command;
    }

    /// <summary>Runs every case of <paramref name="input"/>, writing result lines to <paramref name="output"/>.</summary>
    /// <returns>The number of malformed lines (each got an error line and a message on <paramref name="errors"/>).</returns>
    internal static int Process(TextReader input, Stream output, TextWriter errors, bool strict = false, ulong pageSize = RequestValidator.DefaultPageSize)
    {
        var malformed = 0;
        for (var lineNumber = 1; ReadLine(input) is { } line; lineNumber++)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            GpuvmOpsCase c;
            try
            {
                c = GpuvmOpsJson.Parse(line, lineNumber);
            }
            catch (GpuvmOpsFormatException e)
            {
                malformed++;
                errors.WriteLine($"gpuvm-ops: stdin:{e.Location}: {e.Detail}");
                GpuvmOpsJson.WriteError(output, e.CaseId, e.Message);
                continue;
            }
            GpuvmOpsJson.Write(output, GpuvmOpsRunner.Run(c, strict, pageSize));
        }
        output.Flush();
        if (malformed > 0)
            errors.WriteLine($"gpuvm-ops: {malformed} malformed line(s); every other case was processed");
        return malformed;
    }

    private static string? ReadLine(TextReader input)
    {
        try
        {
            return input.ReadLine();
        }
        catch (IOException e)
        {
            throw new InputException($"gpuvm-ops: stdin cannot be read: {e.Message}", e);
        }
    }
}
