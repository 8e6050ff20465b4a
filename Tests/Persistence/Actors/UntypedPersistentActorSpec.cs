using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>Notes every string it is told; answers "count" with how many it holds.</summary>
public sealed class NotebookActor(string persistenceId) : UntypedPersistentActor
{
    private readonly List<string> _notes = [];

    public override string PersistenceId { get; } = persistenceId;

    protected override void OnRecover(object message)
    {
        if (message is Note note) _notes.Add(note.Text);
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case "count":
                Sender.Tell(_notes.Count, Self);
                break;
            case string text:
                Persist(new Note(text), n =>
                {
                    _notes.Add(n.Text);
                    Sender.Tell($"noted {n.Text} as #{LastSequenceNr}", Self);
                });
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}

public sealed class UntypedPersistentActorSpec() : Gpuvmsim.TestKit.TestKit(ActorSystemSettings.FromConfig(
    ConfigurationFactory.ParseString("akka.persistence.journal.plugin = akka.persistence.journal.inmem\nakka.persistence.snapshot-store.plugin = \"\"")))
{
    [Fact]
    public void An_untyped_persistent_actor_persists_and_recovers_without_a_snapshot_store()
    {
        PersistenceExtension.Get(Sys).Events.Register<Note>("test-note.v1");
        var first = Sys.ActorOf(Props.Create(() => new NotebookActor("n")), "first");
        first.Tell("a");
        first.Tell("b");
        ExpectMsg("noted a as #1");
        ExpectMsg("noted b as #2");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var second = Sys.ActorOf(Props.Create(() => new NotebookActor("n")), "second");
        second.Tell("count");

        ExpectMsg(2);
    }

    [Fact]
    public void An_unhandled_command_is_reported_as_unhandled()
    {
        var notebook = Sys.ActorOf(Props.Create(() => new NotebookActor("n")), "n");

        EventFilter.Unhandled<int>().ExpectOne(() => notebook.Tell(42));
    }
}
