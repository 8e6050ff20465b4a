namespace Gpuvmsim.Benchmarks;

/// <summary>Every benchmark that <c>gpuvmsim bench</c> knows, by name.</summary>
public static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new RuntimeBenchmark(),
        new GpuvmBenchmark(),
        new JournalBenchmark(),
        new ExploreBenchmark(),
    ];

    public static IBenchmark? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
