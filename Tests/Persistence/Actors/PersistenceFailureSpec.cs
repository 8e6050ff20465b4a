using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Runtime;
using Gpuvmsim.Tests.Persistence.Sqlite;

namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>What a persistent actor does when the store itself fails (SQLite tables removed behind its back).</summary>
public sealed class PersistenceFailureSpec : Gpuvmsim.TestKit.TestKit
{
    private readonly TempDirectory _directory;

    public PersistenceFailureSpec() : this(new TempDirectory()) { }

    private PersistenceFailureSpec(TempDirectory directory)
        : base(ActorSystemSettings.FromConfig(ConfigurationFactory.ParseString(
            $"akka.persistence.journal.sql.connection-string = \"Data Source={directory.File("failing.db")}\"")))
    {
        _directory = directory;
        PersistenceExtension.Init(Sys, CounterEvents.Registry());
    }

    private void DropTable(string table)
    {
        using var connection = SqliteRaw.Open(_directory.File("failing.db"));
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP TABLE {table}";
        command.ExecuteNonQuery();
    }

    [Fact]
    public void A_write_the_store_fails_calls_OnPersistFailure_and_stops_the_actor()
    {
        var counter = Sys.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "c");
        counter.Tell(new Add(1));
        ExpectMsg(new Total(1, 1));
        DropTable("tags");
        DropTable("journal");
        Watch(counter);

        EventFilter.Error(contains: "Failed to persist event type").ExpectOne(() => counter.Tell(new Add(2)));

        ExpectTerminated(counter);
    }

    [Fact]
    public void A_recovery_the_store_fails_calls_OnRecoveryFailure_and_stops_the_actor()
    {
        var first = Sys.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "first");
        first.Tell(new Add(1));
        ExpectMsg(new Total(1, 1));
        DropTable("tags");
        DropTable("journal");

        var second = EventFilter.Error(contains: "Persistence failure when replaying events for persistenceId [c]")
            .ExpectOne(() => Watch(Sys.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "second")));

        ExpectTerminated(second);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Dispose();
    }
}
