using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Tests.Persistence;
using Microsoft.Data.Sqlite;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>
/// A bind journal whose rows were damaged after it was written (edited, deleted, renumbered, given another type) is
/// refused with an <see cref="InputException"/> naming the journal, its stream and the sequence number or field at
/// fault: never an internal error, never a replay that quietly works on what is left.
/// </summary>
public sealed class DamagedJournalSpec : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string db;
    private readonly string id;
    private readonly string actor;

    public DamagedJournalSpec()
    {
        db = folder.File("j.db");
        var scenario = Scenario("s02");
        using var store = BindJournalStore.Open(db, create: true);
        id = RunInto(store, scenario, Design(scenario, "v2"), 1);
        actor = store.LoadHeader(id).WorldStreams.First(s => s.Value >= 3).Key;
    }

    public void Dispose() => folder.Dispose();

    private string RunStream => BindJournalIds.RunStream(id);

    private string ActorStream => BindJournalIds.ActorStream(id, actor);

    /// <summary>Runs <paramref name="sql"/> on the file behind the store's back ($pid is the actor's stream, $run the run's).</summary>
    private void Damage(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$pid", ActorStream);
        command.Parameters.AddWithValue("$run", RunStream);
        Assert.True(command.ExecuteNonQuery() > 0, sql);
    }

    private InputException AssertRefused(Action<BindJournalStore> read)
    {
        using var store = BindJournalStore.OpenReadOnly(db);
        return Assert.ThrowsAny<InputException>(() => read(store));
    }

    [Theory]
    [InlineData("bind-run-recorded.v1")]
    [InlineData("bind-trace-recorded.v1")]
    public void A_world_event_row_holding_another_record_names_the_stream_and_sequence(string manifest)
    {
        var payload = manifest == "bind-trace-recorded.v1" ? "(SELECT message FROM journal WHERE persistence_id = $run AND sequence_number = 2)" : "(SELECT message FROM journal WHERE persistence_id = $run AND sequence_number = 1)";
        Damage($"UPDATE journal SET manifest = '{manifest}', message = {payload} WHERE persistence_id = $pid AND sequence_number = 2");

        var e = AssertRefused(store => BindReplay.Replay(store, id));

        Assert.Contains($"journal {id}: sequence 2 of {ActorStream} should be a world event, but holds a {manifest}", e.Message);
    }

    [Fact]
    public void A_header_or_trace_row_holding_another_record_names_it()
    {
        Damage("UPDATE journal SET manifest = 'bind-run-recorded.v1', message = (SELECT message FROM journal WHERE persistence_id = $run AND sequence_number = 1) WHERE persistence_id = $run AND sequence_number = 2");

        Assert.Contains($"sequence 2 of {RunStream} should be its trace", AssertRefused(store => store.Load(id)).Message);

        Damage("UPDATE journal SET manifest = 'lock-released.v1', message = '{}' WHERE persistence_id = $run AND sequence_number = 1");

        Assert.Contains($"sequence 1 of {RunStream} should be its header, but holds a lock-released.v1", AssertRefused(store => store.LoadHeader(id)).Message);
    }

    [Fact]
    public void A_gap_a_repeat_or_a_shift_in_a_streams_sequence_numbers_is_named()
    {
        Damage("UPDATE journal SET sequence_number = sequence_number + 10 WHERE persistence_id = $pid AND sequence_number >= 2");

        Assert.Contains($"stream {ActorStream} lacks sequence 2..11 (its next event is sequence 12)", AssertRefused(store => store.Load(id)).Message);

        Damage("DROP INDEX journal_uq; UPDATE journal SET sequence_number = sequence_number - 10 WHERE persistence_id = $pid AND sequence_number >= 12; " +
               "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) " +
               "SELECT deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid FROM journal WHERE persistence_id = $pid AND sequence_number = 1");

        Assert.Contains($"stream {ActorStream} holds sequence 1 twice", AssertRefused(store => BindReplay.Replay(store, id)).Message);
    }

    [Fact]
    public void A_run_without_its_trace_or_without_its_header_is_incomplete()
    {
        Damage("DELETE FROM journal WHERE persistence_id = $run AND sequence_number = 2");

        Assert.Contains($"journal {id} is incomplete: stream {RunStream} has no trace at sequence 2", AssertRefused(store => BindReplay.Replay(store, id)).Message);

        Damage("UPDATE journal SET sequence_number = 2 WHERE persistence_id = $run AND sequence_number = 1");

        Assert.Contains($"journal {id} is incomplete: stream {RunStream} has no header at sequence 1", AssertRefused(store => store.LoadHeader(id)).Message);
    }

    [Fact]
    public void Corrupt_bytes_of_a_known_event_version_are_refused_not_replayed_as_another_version()
    {
        Damage("UPDATE journal SET message = X'7B226A6F623A' WHERE persistence_id = $pid AND sequence_number = 2");

        var e = AssertRefused(store => BindReplay.Replay(store, id));

        Assert.IsType<UnreadableEventException>(e);
        Assert.Contains($"event at sequence 2 of pid '{ActorStream}' cannot be read", e.Message);
    }

    [Theory]
    [InlineData("json_set(CAST(message AS TEXT), '$.setup', json('null'))", "setup")]
    [InlineData("json_remove(CAST(message AS TEXT), '$.worldStreams')", "worldStreams")]
    [InlineData("json_set(CAST(message AS TEXT), '$.setup.scenarioText', json('null'))", "scenarioText")]
    public void A_header_field_null_or_missing_is_unreadable_naming_the_row_and_the_field(string edit, string field)
    {
        Damage($"UPDATE journal SET message = CAST({edit} AS BLOB) WHERE persistence_id = $run AND sequence_number = 1");

        var e = AssertRefused(store => BindReplay.Replay(store, id));
        using var store = BindJournalStore.OpenReadOnly(db);
        var listing = store.ListRuns(new JournalFilter());

        Assert.IsType<UnreadableEventException>(e);
        Assert.Empty(listing.Items);
        foreach (var message in new[] { e.Message, Assert.Single(listing.Unreadable) })
        {
            Assert.Contains($"event at sequence 1 of pid '{RunStream}' cannot be read as 'bind-run-recorded.v1'", message);
            Assert.Contains(field, message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("UPDATE journal SET message = CAST('{' AS BLOB) WHERE persistence_id = $run AND sequence_number = 1", "cannot be read as 'bind-run-recorded.v1'")]
    [InlineData("UPDATE journal SET manifest = 'no-such-event.v9' WHERE persistence_id = $run AND sequence_number = 1", "no-such-event.v9")]
    [InlineData("UPDATE journal SET message = CAST(json_set(CAST(message AS TEXT), '$.findings', json('[null]')) AS BLOB) WHERE persistence_id = $run AND sequence_number = 1", "holds a null in 'findings'")]
    [InlineData("UPDATE journal SET message = CAST(json_set(CAST(message AS TEXT), '$.journalId', 'r-0123456789abcdef') AS BLOB) WHERE persistence_id = $run AND sequence_number = 1", "names journal r-0123456789abcdef")]
    public void A_damaged_header_is_named_and_left_out_of_a_listing_that_still_lists_the_other_runs(string damage, string named)
    {
        string other;
        using (var writable = BindJournalStore.Open(db, create: false))
            other = RunInto(writable, Scenario("s01"), Design(Scenario("s01"), "v2"), 1);
        Damage(damage);

        using var store = BindJournalStore.OpenReadOnly(db);
        var listing = store.ListRuns(new JournalFilter());

        Assert.Equal([other], listing.Items.Select(r => r.JournalId));
        var message = Assert.Single(listing.Unreadable);
        Assert.Contains(named, message);
        Assert.Contains(db, message);
        Assert.Contains(RunStream, message);
    }

    [Fact]
    public void A_null_item_in_a_header_list_is_named()
    {
        Damage("UPDATE journal SET message = CAST(json_set(CAST(message AS TEXT), '$.witnesses', json('[null]')) AS BLOB) WHERE persistence_id = $run AND sequence_number = 1");

        Assert.Contains($"journal {id}: its header (sequence 1 of {RunStream}) holds a null in 'witnesses'", AssertRefused(store => store.LoadHeader(id)).Message);
    }

    [Fact]
    public void A_header_naming_another_journal_is_refused()
    {
        Damage("UPDATE journal SET message = CAST(json_set(CAST(message AS TEXT), '$.journalId', 'r-0123456789abcdef') AS BLOB) WHERE persistence_id = $run AND sequence_number = 1");

        Assert.Contains($"journal {id}: its header (sequence 1 of {RunStream}) names journal r-0123456789abcdef", AssertRefused(store => BindReplay.Replay(store, id)).Message);
    }

    [Theory]
    [InlineData("$.schedule", "schedule")]
    [InlineData("$.witnesses", "witnesses[0].schedule")]
    public void A_recorded_schedule_that_does_not_parse_names_the_journal_and_the_field(string path, string field)
    {
        var value = path == "$.witnesses" ? "json('[{\"scheduleIndex\":3,\"schedule\":\"junk\"}]')" : "'s1.!!'";
        Damage($"UPDATE journal SET message = CAST(json_set(CAST(message AS TEXT), '{path}', {value}) AS BLOB) WHERE persistence_id = $run AND sequence_number = 1");

        var e = AssertRefused(store => BindReplay.Replay(store, id));

        Assert.Contains($"journal {id}: its header's {field} does not parse: schedule:", e.Message);
    }
}
