using System.Text.Json;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.Shrinking;

/// <summary>Failing runs to shrink, journaled the way the CLI journals them.</summary>
internal static class ShrinkFixtures
{
    /// <summary>An AB-BA inversion between T1 and T2, with steps, a context and locks that have nothing to do with it.</summary>
    public const string NoisyAbba = """
        scenario {
          name = "abba-noisy"
          locks = [ { name = A }, { name = B }, { name = C }, { name = D } ]
          contexts = [
            { name = T1, steps = [ { lock = C }, { unlock = C }, { lock = A }, { sleep = true }, { lock = B }, { unlock = B }, { unlock = A }, { lock = D }, { unlock = D } ] }
            { name = T2, steps = [ { lock = D }, { unlock = D }, { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
            { name = T3, steps = [ { lock = C }, { lock = D }, { unlock = D }, { unlock = C } ] }
          ]
        }
        """;

    /// <summary>
    /// Whoever of T1 and T2 takes G first (and keeps it) takes its pair of locks; the other blocks on G. So each run has
    /// one half of the A-B cycle, and the inversion an exploration reports needs a witness schedule for the other half.
    /// </summary>
    public const string GatedAbba = """
        scenario {
          name = "gated-abba"
          locks = [ { name = G }, { name = A }, { name = B }, { name = N } ]
          contexts = [
            { name = T1, steps = [ { lock = N }, { unlock = N }, { lock = G }, { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
            { name = T2, steps = [ { lock = G }, { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
            { name = T3, steps = [ { lock = N }, { unlock = N } ] }
          ]
        }
        """;

    /// <summary>S2 explored exhaustively under close-takes-op-lock-first; the journal of its deadlock.</summary>
    public static string S2DeadlockJournal(BindJournalStore store) => JournalOf(store, Scenario("s02"), "v2-close-op-lock-first", "deadlock");

    /// <summary>A scenario explored exhaustively under <paramref name="design"/>; the journal of its first <paramref name="kind"/>.</summary>
    public static string JournalOf(BindJournalStore store, ScenarioSpec scenario, string design, string kind)
    {
        var (result, journaled) = ExploreInto(store, scenario, Design(scenario, design));
        return journaled.FindingJournalIds[result.Findings.ToList().FindIndex(f => f.Kind == kind)];
    }

    /// <summary>Everything stored for a journal, as text: header, trace and each world actor's events.</summary>
    public static string Snapshot(BindJournalStore store, string journalId)
    {
        var stored = store.Load(journalId);
        return JsonSerializer.Serialize(stored.Header) + "\n" + stored.Trace + "\n" +
            string.Join("\n", stored.WorldEvents.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
    }
}
