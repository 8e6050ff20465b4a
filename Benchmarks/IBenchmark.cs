using System.Text.Json.Nodes;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// One <c>gpuvmsim bench NAME</c> measurement. It measures the project's code and a baseline in the
/// same process run and reports both with their ratio, so a figure never depends on another machine.
/// </summary>
public interface IBenchmark
{
    /// <summary>The stable name used on the command line, e.g. <c>runtime</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured against what.</summary>
    string Description { get; }

    /// <summary>Runs the measurement; <paramref name="quick"/> shrinks the sizes for smoke tests.</summary>
    /// <returns>The figures, with the field names the issue asks for.</returns>
    JsonObject Run(BenchmarkOptions options);
}

/// <summary>Options shared by every benchmark.</summary>
/// <param name="Quick">Use small sizes: proves the benchmark runs, measures nothing meaningful.</param>
/// <param name="Progress">Where to write human progress lines (stderr); never stdout, which carries the JSON.</param>
public sealed record BenchmarkOptions(bool Quick, TextWriter Progress);
