using System.CommandLine;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// Runs one verb body and maps its failures onto the exit-status contract:
/// <see cref="InputException"/> is bad input (2), anything else is an internal error (1).
/// Every verb's action goes through here so the mapping lives in one place.
/// </summary>
internal static class VerbRunner
{
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(parseResult => Run(() => body(parseResult)));

    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancel) => RunAsync(() => body(parseResult, cancel)));

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsInputError(e, out var input))
        {
            return ReportInput(input!);
        }
        catch (Exception e)
        {
            return ReportInternal(e);
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (IsInputError(e, out var input))
        {
            return ReportInput(input!);
        }
        catch (Exception e)
        {
            return ReportInternal(e);
        }
    }

    private static bool IsInputError(Exception e, out InputException? input)
    {
        input = e as InputException ?? (e as AggregateException)?.Flatten().InnerExceptions.OfType<InputException>().FirstOrDefault();
        return input is not null;
    }

    private static int ReportInput(InputException e)
    {
        Console.Error.WriteLine(e.Message);
        return ExitCodes.BadInput;
    }

    private static int ReportInternal(Exception e)
    {
        Console.Error.WriteLine($"gpuvmsim: internal error: {e}");
        return ExitCodes.InternalError;
    }
}
