using Gpuvmsim.Configuration;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Tests.Runtime;

/// <summary>HOCON bound onto <see cref="ActorSystemSettings"/> (with reference.conf underneath) and systems created from it.</summary>
public sealed class ActorSystemConfigurationSpec
{
    private static ActorSystemSettings Bind(string hocon) => ActorSystemSettings.FromConfig(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void Reference_conf_binds_to_its_documented_defaults()
    {
        var s = ActorSystemSettings.FromConfig(ConfigurationFactory.Empty);

        Assert.Equal(DispatcherType.Deterministic, s.DefaultDispatcherType);
        Assert.Equal(30, s.Throughput);
        Assert.Empty(s.Deployments);
        Assert.Empty(s.Dispatchers);
        Assert.Equal(("random", 1UL, 3, true), (s.Strategy, s.Seed, s.PctDepth, s.Trace));
        Assert.Null(s.ReplaySchedule);
        Assert.Equal(TimeSpan.FromSeconds(5), s.DefaultAskTimeout);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), s.VirtualEpoch);
        Assert.Equal((LogLevel.Info, false), (s.LogLevel, s.LogToStandardError));
        Assert.NotNull(s.Config);
    }

    [Fact]
    public void Every_key_overrides_its_default()
    {
        var schedule = Schedule.Empty.ToString();
        var s = Bind($$"""
            akka {
              loglevel = debug
              stdout-loglevel = WARNING
              actor {
                ask-timeout = infinite
                default-dispatcher { type = threadpool, throughput = 5 }
              }
            }
            gpuvmsim.deterministic {
              strategy = pct
              seed = 42
              pct-depth = 4
              trace = off
              virtual-epoch = "2030-06-01T12:00:00Z"
              schedule = "{{schedule}}"
            }
            """);

        Assert.Equal((DispatcherType.ThreadPool, 5), (s.DefaultDispatcherType, s.Throughput));
        Assert.Equal(("pct", 42UL, 4, false), (s.Strategy, s.Seed, s.PctDepth, s.Trace));
        Assert.Equal(schedule, s.ReplaySchedule!.ToString());
        Assert.Null(s.DefaultAskTimeout);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero), s.VirtualEpoch);
        Assert.Equal((LogLevel.Debug, true), (s.LogLevel, s.LogToStandardError));
    }

    [Fact]
    public void Top_level_blocks_with_a_dispatcher_type_and_deployed_blocks_become_dispatchers()
    {
        var s = Bind("""
            pool { type = threadpool, throughput = 7 }
            not-a-dispatcher { type = "something else" }
            app.pools.inner { type = deterministic }
            akka.actor.deployment {
              "/user/worker" { dispatcher = pool }
              "/user/vm/*" { dispatcher = app.pools.inner }
            }
            """);

        Assert.Equal(new DispatcherSettings(DispatcherType.ThreadPool, 7), s.Dispatchers["pool"]);
        Assert.Equal(DispatcherType.Deterministic, s.Dispatchers["app.pools.inner"].Type);
        Assert.False(s.Dispatchers.ContainsKey("not-a-dispatcher"));
        Assert.Equal("pool", s.Deployments["/user/worker"]);
        Assert.Equal("app.pools.inner", s.Deployments["/user/vm/*"]);
    }

    [Fact]
    public void A_system_created_from_HOCON_uses_the_chosen_strategy()
    {
        var system = ActorSystem.Create("configured", "gpuvmsim.deterministic { strategy = pct, seed = 42, pct-depth = 2 }");

        Assert.Equal("pct[seed:42,depth:2]", system.Deterministic!.Strategy.Description);
        Assert.NotNull(system.Deterministic.Trace);
        system.Terminate();
    }

    [Fact]
    public async Task A_system_created_from_HOCON_uses_the_chosen_default_dispatcher()
    {
        var system = ActorSystem.Create("pooled", ConfigurationFactory.ParseString("akka.actor.default-dispatcher { type = threadpool, throughput = 3 }"));
        var actor = (LocalActorRef)system.ActorOf(Props.Create<EchoActor>(), "echo");

        Assert.Null(system.Deterministic);
        Assert.Equal((DispatcherType.ThreadPool, 3), (actor.Cell.Dispatcher.Type, actor.Cell.Dispatcher.Throughput));
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Deployments_from_HOCON_put_actors_on_their_dispatchers_exact_paths_before_patterns()
    {
        var system = ActorSystem.Create("deployed", """
            pool { type = threadpool }
            lazy-pool { type = threadpool, throughput = 2 }
            akka.actor.deployment {
              "/user/vm/*" { dispatcher = pool }
              "/user/vm/special" { dispatcher = akka.actor.default-dispatcher }
            }
            """);
        var ids = new Dictionary<string, string>();

        var vm = (LocalActorRef)system.ActorOf(Props.CreateBy(() => new Parent(ids, "one", "special")), "vm");
        var viaProps = (LocalActorRef)system.ActorOf(Props.Create<EchoActor>().WithDispatcher("lazy-pool"), "lazy");

        Assert.Equal(ActorSystem.DefaultDispatcherId, vm.Cell.Dispatcher.Id);
        Assert.Equal("pool", ids["one"]);
        Assert.Equal(ActorSystem.DefaultDispatcherId, ids["special"]);
        Assert.Equal((DispatcherType.ThreadPool, 2), (viaProps.Cell.Dispatcher.Type, viaProps.Cell.Dispatcher.Throughput));
        system.Terminate();
    }

    [Theory]
    [InlineData("akka.actor.default-dispatcher.type = fibers", "fibers", "has the unknown value 'fibers'; known: deterministic, threadpool")]
    [InlineData("akka.actor.default-dispatcher.throughput = lots", "lots", "must be an integer")]
    [InlineData("akka.actor.default-dispatcher.throughput = 0", "0", "must be at least 1, got 0")]
    [InlineData("akka.actor.ask-timeout = soon", "soon", "must be a duration")]
    [InlineData("akka.loglevel = LOUD", "LOUD", "unknown value 'LOUD'; known: DEBUG, INFO, WARNING, ERROR, OFF")]
    [InlineData("gpuvmsim.deterministic.strategy = dfs", "dfs", "unknown value 'dfs'; known: fifo, random, pct, replay")]
    [InlineData("gpuvmsim.deterministic.strategy = replay", "replay", "is 'replay', which needs gpuvmsim.deterministic.schedule")]
    [InlineData("gpuvmsim.deterministic.seed = -1", "-1", "must not be negative")]
    [InlineData("gpuvmsim.deterministic.pct-depth = 0", "0", "must be at least 1")]
    [InlineData("gpuvmsim.deterministic.trace = maybe", "maybe", "must be a boolean")]
    [InlineData("gpuvmsim.deterministic.virtual-epoch = yesterday", "yesterday", "must be an ISO 8601 time")]
    [InlineData("gpuvmsim.deterministic.schedule = s9.AAAA", "s9.AAAA", "must be a schedule string")]
    [InlineData("akka.actor.deployment { \"/user/w\" { dispatcher = nowhere } }", "nowhere", "names dispatcher 'nowhere', which is not defined")]
    [InlineData("akka.actor.deployment { \"user/w\" { dispatcher = pool } }", "{ dispatcher", "is not an actor path")]
    public void A_bad_value_is_an_error_naming_its_position_and_key(string hocon, string value, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => Bind(hocon));

        Assert.Equal(new ConfigOrigin("<string>", 1, hocon.IndexOf(value, StringComparison.Ordinal) + 1), e.Origin);
        Assert.Contains(reason, e.Message);
        Assert.StartsWith($"<string>:1:{e.Origin.Column}: setting '", e.Message);
    }

    [Fact]
    public void An_error_in_a_file_names_the_file_line_and_column()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gpuvmsim-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "# settings\ngpuvmsim.deterministic {\n  pct-depth = deep\n}\n");
        try
        {
            var e = Assert.Throws<ConfigException>(() => ActorSystem.Create("file", ConfigurationFactory.ParseFile(file)));

            Assert.StartsWith($"{file}:3:15: setting 'gpuvmsim.deterministic.pct-depth' must be an integer", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Reference_conf_is_embedded_and_errors_in_it_would_name_it()
    {
        var reference = ConfigurationFactory.Default();

        Assert.Equal(ConfigurationFactory.ReferenceName, reference.GetOrigin("akka.actor.ask-timeout").Source);
    }

    /// <summary>Creates its children in its constructor and records the dispatcher each one got.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent(Dictionary<string, string> dispatchers, params string[] children)
        {
            foreach (var name in children)
                dispatchers[name] = ((LocalActorRef)Context.ActorOf(Props.Create<EchoActor>(), name)).Cell.Dispatcher.Id;
        }
    }
}
