using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;

namespace Gpuvmsim.Persistence.BindJournals;

/// <summary>
/// The bind journals of one database (SQLite file or PostgreSQL), in Akka.Persistence.Sql's tables:
/// <list type="bullet">
/// <item><c>bind/{id}</c>: <see cref="BindRunRecorded"/> (tagged <c>bind-run</c>, scenario, design, finding kinds, and
/// <c>shrunk-from:ID</c> for a shrunk run), then <see cref="BindTraceRecorded"/>;</item>
/// <item><c>bind/{id}/{actor}</c>: that world actor's <see cref="WorldEvent"/>s, one row each;</item>
/// <item><c>exploration/{id}</c>: <see cref="ExplorationRecorded"/> (tagged <c>exploration</c>, scenario, design, finding kinds).</item>
/// </list>
/// A run's world events are written before its header: a journal is listed only once it is complete, and a write a
/// crash cut short is finished by the next <see cref="Save"/> of the same (content-addressed) run.
/// </summary>
public sealed class BindJournalStore : IDisposable
{
    private readonly IJournal journal;

    private BindJournalStore(IJournal journal, string target)
    {
        this.journal = journal;
        Target = target;
    }

    /// <summary>The database as the user named it (a file path or a PostgreSQL connection string or URL).</summary>
    public string Target { get; }

    /// <summary>The underlying event journal.</summary>
    public IJournal Journal => journal;

    /// <summary>
    /// Opens the journal database <paramref name="target"/>: a PostgreSQL URL (<c>postgres://user@host:port/db</c>) or
    /// Npgsql connection string (<c>Host=…;…</c>), else a SQLite file path. Without <paramref name="create"/> a missing
    /// SQLite file, or one without the journal tables (another application's database), is an error instead of a new
    /// empty journal.
    /// </summary>
    /// <exception cref="InputException">No such file, or it is not a usable journal database (it is left untouched).</exception>
    public static BindJournalStore Open(string target, bool create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        JournalSettings settings;
        if (PostgresTarget.TryParse(target, out var connectionString))
            settings = JournalSettings.ForPostgres(connectionString);
        else
        {
            if (!create && !File.Exists(target))
                throw new InputException($"{target}: no journal database there");
            settings = JournalSettings.ForSqlite(target) with { AutoInitialize = create };
        }
        return Open(settings with { BatchSize = RunBatchSize }, target);
    }

    /// <summary>Rows per write transaction: a run of ordinary length (its world events, header and trace) in one.</summary>
    private const int RunBatchSize = 1000;

    /// <summary>
    /// Opens <paramref name="target"/> (as <see cref="Open(string, bool)"/>) for reading only: a SQLite file is opened
    /// read-only and never initialized, so its bytes stay as they are; PostgreSQL tables are not created and every
    /// transaction of the session is read-only.
    /// </summary>
    /// <exception cref="InputException">No such file or tables, or not a usable journal database.</exception>
    public static BindJournalStore OpenReadOnly(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        JournalSettings settings;
        if (PostgresTarget.TryParse(target, out var connectionString))
        {
            var readOnly = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            readOnly.Options = $"{readOnly.Options} -c default_transaction_read_only=on".Trim();
            settings = JournalSettings.ForPostgres(readOnly.ConnectionString) with { AutoInitialize = false };
        }
        else
        {
            if (!File.Exists(target))
                throw new InputException($"{target}: no journal database there");
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = target, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly };
            settings = JournalSettings.ForSqlite(target) with { ConnectionString = file.ToString(), AutoInitialize = false };
        }
        return Open(settings, target);
    }

    /// <summary>Opens the journal <paramref name="settings"/> describe (e.g. a PostgreSQL schema of its own); <paramref name="target"/> names it in messages.</summary>
    public static BindJournalStore Open(JournalSettings settings, string target) =>
        new(Persistence.Journal.Open(settings, BindJournalEvents.Registry), target);

    public bool ContainsRun(string journalId) => journal.ReadHighestSequenceNr(BindJournalIds.RunStream(journalId)) > 0;

    public bool ContainsExploration(string explorationId) => journal.ReadHighestSequenceNr(BindJournalIds.ExplorationStream(explorationId)) > 0;

    /// <summary>Stores a run unless it is stored already; returns its id.</summary>
    public string Save(RecordedRun run)
    {
        var (header, trace, worldEvents) = run;
        var id = header.JournalId;
        if (ContainsRun(id))
            return id;
        var timestamp = header.RecordedAt.UtcTicks;
        var writes = new List<AtomicWrite>();
        foreach (var actor in worldEvents.GroupBy(e => e.PersistenceId))
        {
            var stream = BindJournalIds.ActorStream(id, actor.Key);
            var stored = journal.ReadHighestSequenceNr(stream);
            var missing = actor.Where(e => e.SequenceNr > stored)
                .Select(e => new PersistentRepr(stream, e.SequenceNr, e.Event) { Timestamp = timestamp })
                .ToList();
            if (missing.Count > 0)
                writes.Add(new AtomicWrite(missing));
        }
        var kinds = header.Findings.Select(f => f.Kind);
        var runStream = BindJournalIds.RunStream(id);
        // Last, so that a run whose header is stored has all its events: the journal writes atomic writes in order,
        // in transactions of batch-size rows (one for a run of ordinary length).
        writes.Add(new AtomicWrite([
            new PersistentRepr(runStream, 1, header)
            {
                Timestamp = timestamp,
                Tags = BindJournalTags.For(BindJournalTags.Run, header.Setup.Scenario, header.Setup.Design, kinds, header.ShrunkFrom),
            },
            new PersistentRepr(runStream, 2, new BindTraceRecorded(trace)) { Timestamp = timestamp },
        ]));
        Write(writes);
        return id;
    }

    public void SaveExploration(ExplorationRecorded exploration)
    {
        var kinds = exploration.Findings.Select(f => f.Kind);
        Write([new AtomicWrite(new PersistentRepr(BindJournalIds.ExplorationStream(exploration.ExplorationId), 1, exploration)
        {
            Timestamp = exploration.RecordedAt.UtcTicks,
            Tags = BindJournalTags.For(BindJournalTags.Exploration, exploration.Setup.Scenario, exploration.Setup.Design, kinds),
        })]);
    }

    /// <summary>Reads a whole run back.</summary>
    /// <exception cref="InputException">No such journal, or it is incomplete or unreadable (the message says which stream and event).</exception>
    public StoredRun Load(string journalId) => Load(journalId, strict: true);

    /// <summary>
    /// Reads a run back as far as this version can: each world actor's events up to the first one whose type or
    /// version it does not know (what a replay compares against; the rest is reported as a divergence).
    /// </summary>
    public StoredRun LoadReadable(string journalId) => Load(journalId, strict: false);

    private StoredRun Load(string journalId, bool strict)
    {
        var header = LoadHeader(journalId);
        var runStream = BindJournalIds.RunStream(journalId);
        BindTraceRecorded? trace = null;
        journal.ReplayMessages(runStream, 2, 2, 1, e => trace = Expect<BindTraceRecorded>(e, $"journal {journalId}", "its trace"));
        if (trace is null)
            throw new InputException($"{Target}: journal {journalId} is incomplete: stream {runStream} has no trace at sequence 2");
        var streams = new Dictionary<string, IReadOnlyList<WorldEvent>>(StringComparer.Ordinal);
        foreach (var (actor, count) in header.WorldStreams)
        {
            var stream = BindJournalIds.ActorStream(journalId, actor);
            var events = new List<WorldEvent>();
            try
            {
                journal.ReplayMessages(stream, 1, long.MaxValue, long.MaxValue, e =>
                {
                    CheckNext(journalId, e, events.Count + 1);
                    events.Add(Expect<WorldEvent>(e, $"journal {journalId}", "a world event"));
                });
            }
            catch (UnknownEventManifestException) when (!strict)
            {
                // Keep the events before the one of a version this program does not know.
            }
            if (strict && events.Count != count)
                throw new InputException($"{Target}: journal {journalId} is incomplete: stream {stream} holds {events.Count} events, its header records {count}");
            streams[actor] = events;
        }
        return new StoredRun(header, trace.Text, streams);
    }

    /// <exception cref="InputException">No such journal, or its header is not one or does not fit its stream.</exception>
    public BindRunRecorded LoadHeader(string journalId)
    {
        CheckId(journalId, BindJournalIds.RunPrefix);
        var stream = BindJournalIds.RunStream(journalId);
        BindRunRecorded? header = null;
        journal.ReplayMessages(stream, 1, 1, 1, e => header = Expect<BindRunRecorded>(e, $"journal {journalId}", "its header"));
        if (header is null)
        {
            throw new InputException(journal.ReadHighestSequenceNr(stream) > 0
                ? $"{Target}: journal {journalId} is incomplete: stream {stream} has no header at sequence 1"
                : $"{Target}: no bind journal {journalId} (see `gpuvmsim journal list`)");
        }
        if (HeaderFault(header, stream) is { } fault)
            throw new InputException(fault);
        return header;
    }

    /// <summary>What is wrong with a decoded header read from <paramref name="stream"/>: it names another journal or
    /// one of its lists holds a null (the JSON reader refuses null fields, not null items). Null when it is sound.</summary>
    private string? HeaderFault(BindRunRecorded header, string stream)
    {
        var journalId = BindJournalIds.JournalIdOfRunStream(stream);
        var at = $"{Target}: journal {journalId}: its header (sequence 1 of {stream})";
        if (header.JournalId != journalId)
            return $"{at} names journal {header.JournalId}";
        return NullItemFault(at, ("witnesses", header.Witnesses), ("findings", header.Findings), ("setup.knobs", header.Setup.Knobs.Values));
    }

    /// <summary>What is wrong with a decoded exploration record read from <paramref name="stream"/>, as <see cref="HeaderFault"/>.</summary>
    private string? ExplorationFault(ExplorationRecorded exploration, string stream)
    {
        var explorationId = BindJournalIds.ExplorationIdOfStream(stream);
        var at = $"{Target}: exploration {explorationId}: its record (sequence 1 of {stream})";
        if (exploration.ExplorationId != explorationId)
            return $"{at} names exploration {exploration.ExplorationId}";
        return NullItemFault(at, ("findings", exploration.Findings), ("setup.knobs", exploration.Setup.Knobs.Values));
    }

    /// <exception cref="InputException">No such exploration, or its record is not one or does not fit its stream.</exception>
    public ExplorationRecorded LoadExploration(string explorationId)
    {
        CheckId(explorationId, BindJournalIds.ExplorationPrefix);
        var stream = BindJournalIds.ExplorationStream(explorationId);
        ExplorationRecorded? exploration = null;
        journal.ReplayMessages(stream, 1, 1, 1, e => exploration = Expect<ExplorationRecorded>(e, $"exploration {explorationId}", "its record"));
        if (exploration is null)
            throw new InputException($"{Target}: no exploration {explorationId} (see `gpuvmsim journal list`)");
        if (ExplorationFault(exploration, stream) is { } fault)
            throw new InputException(fault);
        return exploration;
    }

    /// <summary>Run headers matching <paramref name="filter"/>, oldest first; a header that cannot be read (undecodable,
    /// or decoded but unsound) is left out and named in <see cref="JournalListing{T}.Unreadable"/>.</summary>
    public JournalListing<BindRunRecorded> ListRuns(JournalFilter filter) =>
        List<BindRunRecorded>(filter.Tag(BindJournalTags.Run), (r, e) => HeaderFault(r, e.PersistenceId),
            r => filter.Matches(r.Setup, r.RecordedAt, r.Findings.Select(f => f.Kind)));

    /// <summary>The runs shrunk from journal <paramref name="journalId"/> (by their <c>shrunk-from:</c> tag), oldest first.</summary>
    public IEnumerable<BindRunRecorded> ListShrunkFrom(string journalId) =>
        journal.Query.CurrentEventsByTag(BindJournalTags.ShrunkFrom(journalId))
            .Select(e => e.Event).OfType<BindRunRecorded>()
            .Where(r => r.ShrunkFrom == journalId);

    /// <summary>Explorations matching <paramref name="filter"/>, oldest first; unreadable records as in <see cref="ListRuns"/>.</summary>
    public JournalListing<ExplorationRecorded> ListExplorations(JournalFilter filter) =>
        List<ExplorationRecorded>(filter.Tag(BindJournalTags.Exploration), (x, e) => ExplorationFault(x, e.PersistenceId),
            x => filter.Matches(x.Setup, x.RecordedAt, x.Findings.Select(f => f.Kind)));

    /// <summary>The <typeparamref name="T"/> records tagged <paramref name="tag"/> that are sound and match, oldest first.
    /// Rows of other types share some tags (a scenario tag is on runs and explorations alike) and are passed over.</summary>
    private JournalListing<T> List<T>(string tag, Func<T, EventEnvelope, string?> fault, Func<T, bool> matches) where T : class
    {
        var items = new List<T>();
        var unreadable = new List<string>();
        foreach (var e in ((SqlReadJournal)journal.Query).CurrentEventsByTagKeepingUndecoded(tag))
        {
            if (e.Event is UndecodedEvent undecoded)
                unreadable.Add(undecoded.Error.Message);
            else if (e.Event is T record)
            {
                if (fault(record, e) is { } problem)
                    unreadable.Add(problem);
                else if (matches(record))
                    items.Add(record);
            }
        }
        return new JournalListing<T>(items, unreadable);
    }

    public void Dispose() => journal.Dispose();

    private void Write(IReadOnlyList<AtomicWrite> writes)
    {
        if (writes.Count == 0)
            return;
        foreach (var result in journal.WriteMessages(writes))
            result.EnsurePersisted();
    }

    /// <summary>The payload of <paramref name="e"/> as the <typeparamref name="T"/> its place in the journal calls for.</summary>
    /// <exception cref="InputException">It holds another type: the row's manifest was changed or the rows were mixed up.</exception>
    private T Expect<T>(PersistentRepr e, string owner, string what) where T : class =>
        e.Payload as T ?? throw new InputException($"{Target}: {owner}: sequence {e.SequenceNr} of {e.PersistenceId} should be {what}, but holds a {e.Manifest}");

    /// <summary>A world actor's stream numbers its events 1, 2, 3, … with neither gap nor repeat.</summary>
    /// <exception cref="InputException"><paramref name="e"/> is not event number <paramref name="expected"/>.</exception>
    private void CheckNext(string journalId, PersistentRepr e, long expected)
    {
        if (e.SequenceNr == expected)
            return;
        throw new InputException(e.SequenceNr < expected
            ? $"{Target}: journal {journalId} is damaged: stream {e.PersistenceId} holds sequence {e.SequenceNr} twice"
            : $"{Target}: journal {journalId} is incomplete: stream {e.PersistenceId} lacks sequence {expected}{(e.SequenceNr > expected + 1 ? $"..{e.SequenceNr - 1}" : "")} (its next event is sequence {e.SequenceNr})");
    }

    /// <summary>The JSON reader refuses null fields; a null item of a list or map is found here.</summary>
    /// <returns>A message naming the first of <paramref name="lists"/> that holds a null, or null.</returns>
    private static string? NullItemFault(string at, params (string Field, IEnumerable<object?> Items)[] lists)
    {
        foreach (var (field, items) in lists)
        {
            if (items.Any(item => item is null))
                return $"{at} holds a null in '{field}'";
        }
        return null;
    }

    private void CheckId(string id, string prefix)
    {
        if (!BindJournalIds.IsWellFormed(id) || !id.StartsWith(prefix, StringComparison.Ordinal))
            throw new InputException($"'{id}' is not a {(prefix == BindJournalIds.RunPrefix ? "bind journal" : "exploration")} id ({prefix} and 16 lowercase hex digits)");
    }
}
