using Gpuvmsim.Configuration;

namespace Gpuvmsim.Tests.Configuration;

/// <summary><c>hocon/reference.conf</c> stays valid HOCON and keeps the defaults other parts of gpuvmsim bind to.</summary>
public sealed class ReferenceConfSpec
{
    private static readonly Config Reference = ConfigurationFactory.ParseFile(Fixtures.ReferenceConf).Resolve();

    [Fact]
    public void Reference_conf_parses_and_resolves()
    {
        Assert.False(Reference.IsEmpty);
    }

    [Fact]
    public void Reference_conf_declares_the_runtime_defaults()
    {
        Assert.Equal("deterministic", Reference.GetString("akka.actor.default-dispatcher.type"));
        Assert.Equal(30, Reference.GetInt("akka.actor.default-dispatcher.throughput"));
        Assert.Equal(TimeSpan.FromSeconds(5), Reference.GetTimeSpan("akka.actor.ask-timeout"));
        Assert.Equal(0, Reference.GetObject("akka.actor.deployment").Count);
    }

    [Fact]
    public void Reference_conf_declares_the_deterministic_scheduler_defaults()
    {
        Assert.Equal("random", Reference.GetString("gpuvmsim.deterministic.strategy"));
        Assert.Equal(1L, Reference.GetLong("gpuvmsim.deterministic.seed"));
        Assert.Equal(3, Reference.GetInt("gpuvmsim.deterministic.pct-depth"));
        Assert.True(Reference.GetBoolean("gpuvmsim.deterministic.trace"));
        Assert.Equal("2025-01-01T00:00:00Z", Reference.GetString("gpuvmsim.deterministic.virtual-epoch"));
    }

    [Fact]
    public void Reference_conf_uses_Akka_Persistence_Sql_key_names()
    {
        Assert.Equal("akka.persistence.journal.sql", Reference.GetString("akka.persistence.journal.plugin"));
        var sql = Reference.GetConfig("akka.persistence.journal.sql");
        Assert.Equal("Data Source=gpuvmsim.db", sql.GetString("connection-string"));
        Assert.Equal("SQLite.MS", sql.GetString("provider-name"));
        Assert.Equal("default", sql.GetString("table-mapping"));
        Assert.Equal("TagTable", sql.GetString("tag-write-mode"));
        Assert.True(sql.GetBoolean("auto-initialize"));
        Assert.Equal(100, sql.GetInt("batch-size"));
        Assert.Equal(1000, sql.GetInt("replay-batch-size"));
        Assert.Equal(65536, sql.GetInt("sqlite-page-size"));
        Assert.Equal(65536, Reference.GetInt("akka.persistence.snapshot-store.sql.sqlite-page-size"));
        Assert.Equal("journal", sql.GetString("default.journal.table-name"));
        Assert.Equal("snapshot", Reference.GetString("akka.persistence.snapshot-store.sql.default.snapshot.table-name"));
        // The snapshot store shares the journal's database through substitutions.
        Assert.Equal("Data Source=gpuvmsim.db", Reference.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void Reference_conf_declares_exploration_and_model_defaults()
    {
        Assert.Equal("random", Reference.GetString("gpuvmsim.explore.strategy"));
        Assert.Equal(1000, Reference.GetInt("gpuvmsim.explore.budget"));
        Assert.Equal(0, Reference.GetInt("gpuvmsim.explore.parallelism"));
        Assert.Equal(100_000, Reference.GetInt("gpuvmsim.explore.max-steps"));
        Assert.Equal(4096L, Reference.GetByteSize("gpuvmsim.gpuvm.page-size"));
        Assert.Equal(4, Reference.GetInt("gpuvmsim.gpuvm.mmu.levels"));
    }

    [Fact]
    public void User_file_overrides_reference_conf_through_a_fallback()
    {
        var user = ConfigurationFactory.ParseString("""
            gpuvmsim.explore.budget = 50
            akka.persistence.journal.sql.connection-string = "Data Source=other.db"
            """);

        var merged = user.WithFallback(ConfigurationFactory.ParseFile(Fixtures.ReferenceConf));

        Assert.Equal(50, merged.GetInt("gpuvmsim.explore.budget"));
        Assert.Equal("random", merged.GetString("gpuvmsim.explore.strategy"));
        Assert.Equal("Data Source=other.db", merged.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }
}
