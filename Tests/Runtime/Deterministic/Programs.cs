using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

/// <summary>Small actor programs run by the deterministic-driver specs.</summary>
internal static class Programs
{
    /// <summary>Three producers each send <paramref name="perProducer"/> numbered messages to one collector.</summary>
    public static List<string> FanIn(ActorSystem system, int perProducer = 5)
    {
        var log = new List<string>();
        var collector = system.ActorOf(Props.CreateBy(() => new Collector(log)), "collector");
        for (int p = 0; p < 3; p++)
        {
            var producer = system.ActorOf(Props.CreateBy(() => new Producer(collector, perProducer)), "producer" + p);
            producer.Tell("go", null);
        }
        return log;
    }

    public static ActorSystem Create(string strategy, ulong seed = 0, bool trace = true) =>
        ActorSystem.Create("program", new ActorSystemSettings { Strategy = strategy, Seed = seed, Trace = trace });

    public sealed class Collector(List<string> log) : ActorBase, IStateHashable
    {
        protected internal override bool Receive(object message)
        {
            log.Add($"{Sender.Path.Name}:{message}");
            return true;
        }

        public void AddState(ref StateHasher hasher)
        {
            hasher.Add(log.Count);
            foreach (var entry in log) hasher.Add(entry);
        }
    }

    public sealed class Producer(IActorRef target, int count) : UntypedActor, IStateHashable
    {
        protected override void OnReceive(object message)
        {
            for (int i = 0; i < count; i++) target.Tell(i, Self);
        }

        public void AddState(ref StateHasher hasher) => hasher.Add(count);
    }

    /// <summary>Replies to "pick" with a value chosen by the driver (a modelled unknown).</summary>
    public sealed class Chooser : ReceiveActor
    {
        public Chooser() => Receive<string>(_ => Sender.Tell(Context.System.Deterministic!.ChooseValue(10)));
    }
}
