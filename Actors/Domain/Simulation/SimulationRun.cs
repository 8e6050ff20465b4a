using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>How a run stopped.</summary>
public enum RunEnd
{
    /// <summary>Nothing was deliverable any more: the end-of-run checks ran.</summary>
    Quiescent,

    /// <summary>The explorer stopped it: it reached a state explored before.</summary>
    Pruned,

    /// <summary>It hit the step limit (a livelock, or a scenario too long for the limit).</summary>
    StepLimit,
}

/// <summary>One run to execute.</summary>
public sealed record RunRequest(ScenarioSpec Scenario, Design Design, IWorldBuilder World, ExplorationStrategy Strategy)
{
    /// <summary>The run's index within its exploration (orders lockdep witnesses and findings).</summary>
    public long ScheduleIndex { get; init; }

    /// <summary>Dependency edges an earlier schedule already witnessed (skips recording them again).</summary>
    public Func<(string From, string To), bool>? KnownEdges { get; init; }

    /// <summary>Keep the per-context event log (for the interleaving table).</summary>
    public bool RecordEvents { get; init; }

    /// <summary>The explorer compares global states (dfs): contexts keep the hash of what they received.</summary>
    public bool TrackState { get; init; }

    /// <summary>Keep the world actors' events (a journaled run, a replay; needed to restart actors).</summary>
    public bool RecordWorldEvents { get; init; }

    /// <summary>Restart a failed world actor (it recovers from its events) instead of ending the run as an internal error.</summary>
    public bool RestartOnFailure { get; init; }

    /// <summary>A replayed journal's world events: new events are checked against them and restarts recover from them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Messages.Journal.WorldEvent>>? RecordedWorldEvents { get; init; }

    /// <summary>Makes one world actor fail during the run (with <see cref="RestartOnFailure"/>, to exercise recovery).</summary>
    public FaultInjector? Faults { get; init; }

    /// <summary>Record the delivery trace (for its text and SHA-256).</summary>
    public bool Trace { get; init; }

    public long MaxSteps { get; init; } = 100_000;

    /// <summary>Called before the first delivery, with the run's driver and monitor (an explorer keeps what it needs of them).</summary>
    public Action<DeterministicDriver, RunMonitor>? OnStart { get; init; }

    /// <summary>Called after every delivery; returning false stops the run as <see cref="RunEnd.Pruned"/>.</summary>
    public Func<DeterministicDriver, RunMonitor, bool>? AfterStep { get; init; }
}

/// <summary>What one run produced.</summary>
public sealed record RunResult(
    IReadOnlyList<Finding> Findings,
    IReadOnlyCollection<EdgeWitness> NewEdges,
    long Steps,
    RunEnd End,
    string? TraceText,
    IReadOnlyList<ContextEvent> Events,
    WorldEventLog WorldEvents)
{
    private Func<Schedule>? record;
    private Schedule? schedule;

    /// <summary>The run's recorded choices, replayable.</summary>
    /// <remarks>Taken from the driver on first use: an explorer asks only for the few runs it keeps.</remarks>
    public Schedule Schedule
    {
        get
        {
            if (schedule is null)
            {
                schedule = record!();
                record = null; // releases the run's actor system
            }
            return schedule;
        }
    }

    internal RunResult WithSchedule(Func<Schedule> recordedSchedule)
    {
        record = recordedSchedule;
        return this;
    }
}

/// <summary>
/// Executes one schedule of a scenario: a fresh deterministic actor system, the scenario's world, every
/// context started, deliveries chosen by the request's strategy until nothing is deliverable, then the
/// end-of-run checks (deadlock, leaks). Thread-safe to call from several threads at once: each run owns
/// its system, monitor and strategy.
/// </summary>
public static class SimulationRun
{
    /// <summary>
    /// A run that replays <paramref name="schedule"/>. A schedule recorded by a run the explorer stopped early (a dfs
    /// run that reached a state explored before) is a prefix: the replay stops where it ends instead of going on.
    /// </summary>
    public static RunRequest ReplayOf(ScenarioSpec scenario, Design design, IWorldBuilder world, Schedule schedule)
    {
        var strategy = StrategyFactory.Create("replay", schedule: schedule);
        return new RunRequest(scenario, design, world, strategy)
        {
            AfterStep = (driver, _) => strategy.IsReplaying || driver.IsQuiescent,
        };
    }

    /// <summary>
    /// As <see cref="ReplayOf"/>, with a failure injected into the first world actor that receives a message at or
    /// after <paramref name="failAtStep"/>: the supervisor restarts it, it recovers from its events, and the replay
    /// goes on (see <see cref="SupervisedReplayStrategy"/>).
    /// </summary>
    public static RunRequest SupervisedReplayOf(ScenarioSpec scenario, Design design, IWorldBuilder world, Schedule schedule, long failAtStep)
    {
        var faults = new FaultInjector(failAtStep);
        var strategy = new SupervisedReplayStrategy(new ReplayStrategy(schedule), faults);
        return new RunRequest(scenario, design, world, strategy)
        {
            Faults = faults,
            RestartOnFailure = true,
            RecordWorldEvents = true,
            AfterStep = (driver, _) => strategy.HasMore || driver.IsQuiescent,
        };
    }

    public static RunResult Execute(RunRequest request)
    {
        var monitor = new RunMonitor(request.ScheduleIndex, request.KnownEdges, request.RecordEvents) { TrackState = request.TrackState };
        var events = new WorldEventLog(request.RecordWorldEvents, request.RecordedWorldEvents);
        var world = new WorldContext(request.Scenario, request.Design, monitor, events) { Faults = request.Faults };
        var settings = new ActorSystemSettings
        {
            StrategyInstance = request.Strategy,
            Trace = request.Trace,
            LogLevel = Runtime.Event.LogLevel.Error,
        };
        // No Terminate at the end: a deterministic system owns no thread, timer or handle, and stopping every actor
        // synchronously would only run PostStop hooks nobody observes (7% of a run's cost when measured).
        var system = ActorSystem.Create("gpuvmsim", settings);
        {
            var driver = system.Deterministic ?? throw new InvalidOperationException("a simulation needs the deterministic dispatcher");
            monitor.ChooseValue = driver.ChooseValue;
            driver.AddObserver(new StepCounter(monitor));
            if (request.Faults is not null)
                driver.AddObserver(request.Faults);
            system.ActorOf(Props.CreateBy(() => new WorldSupervisor(world, request.World, request.RestartOnFailure)), "world");

            request.OnStart?.Invoke(driver, monitor);
            var end = RunEnd.Quiescent;
            while (true)
            {
                if (driver.StepCount >= request.MaxSteps)
                {
                    end = RunEnd.StepLimit;
                    break;
                }
                if (!driver.Step())
                    break;
                monitor.ThrowIfSimulatorFailed();
                if (request.AfterStep?.Invoke(driver, monitor) == false)
                {
                    end = RunEnd.Pruned;
                    break;
                }
            }
            if (end == RunEnd.Quiescent)
            {
                monitor.CheckQuiescentState();
                events.CheckNothingMissing(driver.StepCount);
            }
            monitor.ThrowIfSimulatorFailed();
            return new RunResult(
                monitor.Findings, monitor.Lockdep.NewEdges, driver.StepCount, end,
                request.Trace ? driver.Trace?.ToText() : null, monitor.Events, events).WithSchedule(() => driver.RecordedSchedule);
        }
    }

    /// <summary>Keeps the monitor's notion of "now" (1-based delivery numbers in reports) in step with the driver.</summary>
    private sealed class StepCounter(RunMonitor monitor) : IDeliveryObserver
    {
        public void BeforeDelivery(in DeliveryRecord delivery) => monitor.Step = delivery.Step + 1;

        public void AfterDelivery(in DeliveryRecord delivery) => monitor.AfterDelivery(delivery);
    }
}
