using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>Persistent actors on the deterministic dispatcher (reproducible runs) and on the thread pool (async store calls).</summary>
public sealed class PersistenceModesSpec : IDisposable
{
    private const string InMemory = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void Program(ActorSystem system)
    {
        PersistenceExtension.Init(system, CounterEvents.Registry());
        var replies = system.ActorOf(Props.CreateBy(() => new Collector([])), "replies");
        var a = system.ActorOf(Props.Create(() => new CounterActor("a", null, null)), "a");
        var b = system.ActorOf(Props.Create(() => new CounterActor("b", null, null)), "b");
        foreach (var target in new[] { a, b })
        {
            target.Tell(new Add(1), replies);
            target.Tell(new AddAll([2, 3]), replies);
            target.Tell(new TakeSnapshot(), replies);
            target.Tell(new Get(), replies);
            target.Tell(new DeleteUpTo(2), replies);
        }
    }

    [Fact]
    public void Two_deterministic_runs_with_one_seed_deliver_the_same_trace()
    {
        var settings = ActorSystemSettings.FromConfig(ConfigurationFactory.ParseString(InMemory + "\ngpuvmsim.deterministic { strategy = random, seed = 5 }"));

        var report = DeterminismCheck.Run(Program, settings, runs: 3);

        Assert.True(report.IsDeterministic, report.Divergence?.ToString());
        Assert.All(report.Steps, s => Assert.Equal(report.Steps[0], s));
        Assert.True(report.Steps[0] > 20, $"only {report.Steps[0]} steps");
    }

    [Fact]
    public void On_the_deterministic_dispatcher_a_write_is_stored_within_the_journal_actors_own_step()
    {
        var system = ActorSystem.Create("steps", InMemory + "\ngpuvmsim.deterministic { strategy = random, seed = 3 }");
        var persistence = PersistenceExtension.Init(system, CounterEvents.Registry());
        var replies = new List<object>();
        var sink = system.ActorOf(Props.CreateBy(() => new Collector(replies)), "sink");
        var counter = system.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "c");
        var observer = new StoredCountObserver(() => persistence.ReadJournalFor().CurrentEventsByPersistenceId("c").Count());
        system.Deterministic!.AddObserver(observer);

        counter.Tell(new AddAll([1, 2]), sink);
        counter.Tell(new Add(3), sink);
        system.Deterministic.RunUntilQuiescent();
        system.Terminate();

        Assert.Equal([new Total(1, 1), new Total(3, 2), new Total(6, 3)], replies);
        Assert.Equal(
        [
            "ReplayMessages: stored 0 -> 0",
            "WriteMessages: stored 0 -> 2",
            "WriteMessages: stored 2 -> 3",
        ], observer.JournalSteps);
    }

    [Fact]
    public void Recovery_reads_the_journal_one_page_of_replay_batch_size_events_per_delivery()
    {
        var system = ActorSystem.Create("pages", $"""
            akka.persistence.journal.sql {"{"} connection-string = "Data Source={_directory.File("pages.db")}", replay-batch-size = 2 {"}"}
            gpuvmsim.deterministic.strategy = fifo
            """);
        PersistenceExtension.Init(system, CounterEvents.Registry());
        var replies = new List<object>();
        var sink = system.ActorOf(Props.CreateBy(() => new Collector(replies)), "sink");
        var first = system.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "first");
        first.Tell(new AddAll([1, 2, 3, 4, 5]), sink);
        system.Deterministic!.RunUntilQuiescent();
        system.Stop(first);
        system.Deterministic.RunUntilQuiescent();
        var observer = new StoredCountObserver(() => 0, "/system/akka.persistence.journal.sql");
        system.Deterministic.AddObserver(observer);

        var second = system.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "second");
        second.Tell(new Get(), sink);
        system.Deterministic.RunUntilQuiescent();
        system.Terminate();

        Assert.Equal(new Total(15, 5), replies[^1]);
        Assert.Equal(["ReplayMessages", "ReplayPage", "ReplayPage"], observer.JournalSteps.Select(s => s[..s.IndexOf(':')]));
    }

    /// <summary>Records, for every delivery to the journal actor, how many events the store held before and after it.</summary>
    private sealed class StoredCountObserver(Func<int> storedCount, string journal = "/system/akka.persistence.journal.inmem") : IDeliveryObserver
    {
        private int _before;

        public List<string> JournalSteps { get; } = [];

        public void BeforeDelivery(in DeliveryRecord delivery)
        {
            if (IsJournal(delivery)) _before = storedCount();
        }

        public void AfterDelivery(in DeliveryRecord delivery)
        {
            if (IsJournal(delivery)) JournalSteps.Add($"{delivery.Message.GetType().Name}: stored {_before} -> {storedCount()}");
        }

        private bool IsJournal(in DeliveryRecord delivery) => !delivery.IsSystem && delivery.ReceiverPath == journal;
    }

    [Fact]
    public async Task On_the_thread_pool_the_journal_uses_the_async_store_methods_and_recovery_works()
    {
        var hocon = $"""
            akka.actor.default-dispatcher.type = threadpool
            akka.persistence.journal.sql {"{"} connection-string = "Data Source={_directory.File("pool.db")}", replay-batch-size = 2 {"}"}
            """;
        var timeout = TimeSpan.FromSeconds(30);
        var system = ActorSystem.Create("pool", hocon);
        PersistenceExtension.Init(system, CounterEvents.Registry());
        var first = system.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "first");
        for (int i = 1; i <= 4; i++)
            Assert.Equal(new Total(i * (i + 1) / 2, i), await first.Ask<Total>(new Add(i), timeout));
        await first.Ask<SaveSnapshotSuccess>(new TakeSnapshot(), timeout);
        Assert.Equal(new Total(15, 5), await first.Ask<Total>(new Add(5), timeout));
        system.Stop(first);

        var log = new List<string>();
        var second = system.ActorOf(Props.Create(() => new CounterActor("c", log, null)), "second");
        Assert.Equal(new Total(15, 5), await second.Ask<Total>(new Get(), timeout));
        Assert.Equal(["offer 10 at 4", "event 5 at 5", "recovered 15 at 5", "command Get"], log);
        await system.Terminate().WaitAsync(timeout);
    }
}
