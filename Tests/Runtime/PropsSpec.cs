using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Tests.Runtime;

public sealed class PropsSpec : Gpuvmsim.TestKit.TestKit
{
    private sealed class Named(string name) : ReceiveActor
    {
        public string Name { get; } = name;

        public Named() : this("default") { }
    }

    [Fact]
    public void Props_Create_with_a_parameterless_constructor_builds_the_actor()
    {
        var actor = ActorOfAsTestActorRef<Named>(Props.Create<Named>());
        Assert.Equal("default", actor.UnderlyingActor.Name);
    }

    [Fact]
    public void Props_Create_with_an_expression_passes_constructor_arguments()
    {
        var props = Props.Create(() => new Named("from-expression"));
        Assert.Equal(typeof(Named), props.ActorType);
        Assert.Equal("from-expression", ActorOfAsTestActorRef<Named>(props).UnderlyingActor.Name);
    }

    [Fact]
    public void A_Props_expression_is_compiled_once_it_has_served_many_instances_and_reads_captured_variables_throughout()
    {
        var name = "first";
        var props = Props.Create(() => new Named(name));
        var factory = Assert.IsType<Props.TieredFactory<Named>>(props.FactoryTarget);
        for (var i = 1; i <= 2 * Props.TieredFactory<Named>.CompileAfter; i++)
        {
            name = $"n{i}";
            Assert.Equal(name, ActorOfAsTestActorRef<Named>(props, name).UnderlyingActor.Name);
            Assert.Equal(i >= Props.TieredFactory<Named>.CompileAfter, factory.IsCompiled);
        }
    }

    [Fact]
    public void Props_CreateBy_calls_the_factory_once_per_instance()
    {
        int calls = 0;
        var props = Props.CreateBy(() =>
        {
            calls++;
            return new Named("n" + calls);
        });
        var a = ActorOfAsTestActorRef<Named>(props, "a");
        var b = ActorOfAsTestActorRef<Named>(props, "b");
        Assert.Equal(2, calls);
        Assert.Equal("n1", a.UnderlyingActor.Name);
        Assert.Equal("n2", b.UnderlyingActor.Name);
    }

    [Fact]
    public void Props_Create_with_a_Func_of_ActorBase_uses_the_delegate()
    {
        Func<ActorBase> factory = () => new Named("func");
        var props = Props.Create(factory);
        Assert.Equal(typeof(ActorBase), props.ActorType);
        var actor = Sys.ActorOf(props, "f");
        Assert.Equal("func", ((Named)((LocalActorRef)actor).Cell.Actor!).Name);
    }

    [Fact]
    public void Props_are_immutable_and_With_methods_return_copies()
    {
        var original = Props.Create<Named>();
        var withDispatcher = original.WithDispatcher("pool");
        var strategy = new OneForOneStrategy(_ => Directive.Stop);
        var withStrategy = withDispatcher.WithSupervisorStrategy(strategy);
        Assert.Null(original.Dispatcher);
        Assert.Equal("pool", withDispatcher.Dispatcher);
        Assert.Equal("pool", withStrategy.Dispatcher);
        Assert.Same(strategy, withStrategy.SupervisorStrategy);
        Assert.Null(withDispatcher.SupervisorStrategy);
    }

    [Fact]
    public void An_unknown_dispatcher_name_is_a_configuration_error_naming_the_known_ones()
    {
        var e = Assert.Throws<ActorConfigurationException>(() => Sys.ActorOf(Props.Create<Named>().WithDispatcher("nope"), "x"));
        Assert.Contains("nope", e.Message);
        Assert.Contains(ActorSystem.DefaultDispatcherId, e.Message);
    }

    [Fact]
    public void Creating_an_actor_with_new_outside_ActorOf_is_refused()
    {
        Assert.Throws<ActorInitializationException>(() => new Named("direct"));
    }
}
