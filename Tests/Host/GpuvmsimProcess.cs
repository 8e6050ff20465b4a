using System.Diagnostics;

namespace Gpuvmsim.Tests.Host;

/// <summary>The built <c>gpuvmsim</c> command line as a child process, for tests of the CLI end to end.</summary>
public static class GpuvmsimProcess
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Starts <c>gpuvmsim ARGS</c> with stdout and stderr redirected.</summary>
    public static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gpuvmsim.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start gpuvmsim");
    }

    /// <summary>Runs <c>gpuvmsim ARGS</c> to the end.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] arguments)
    {
        using var process = Start(arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await stdout, await stderr);
    }
}
