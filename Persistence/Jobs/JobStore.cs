using System.Net.Sockets;
using Gpuvmsim.Exploration;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Persistence.Postgres;
using Npgsql;
using static Gpuvmsim.Persistence.Jobs.JobSchema;

namespace Gpuvmsim.Persistence.Jobs;

/// <summary>
/// The shared exploration jobs of one PostgreSQL database (<see cref="JobSchema"/>). Workers on any number of hosts
/// claim ranges with <c>SELECT … FOR UPDATE SKIP LOCKED</c>, so no two hold one range at once and none waits for
/// another; a claim is a lease on the database's clock, and a range whose lease expired is claimable again. Only the
/// holder of the current claim can store a range's result, and the job's row lock lets exactly one worker merge.
/// </summary>
public sealed class JobStore : IDisposable
{
    private readonly NpgsqlDataSource source;

    private JobStore(NpgsqlDataSource source, string target)
    {
        this.source = source;
        Target = target;
    }

    /// <summary>The database as the user named it.</summary>
    public string Target { get; }

    /// <summary>Opens the jobs of PostgreSQL database <paramref name="target"/>, creating the tables on first use.</summary>
    /// <exception cref="InputException">Not a PostgreSQL target (jobs are shared between hosts through one), or the server cannot be used.</exception>
    public static JobStore Open(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (!PostgresTarget.TryParse(target, out var connectionString))
            throw new InputException($"--journal: '{target}' is not a PostgreSQL database; jobs are shared between hosts through PostgreSQL (postgres://user@host:port/db or Host=…;Database=…)");
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var connection = source.OpenConnection();
            using var ddl = new NpgsqlCommand(Ddl, connection);
            ddl.ExecuteNonQuery();
            return new JobStore(source, target);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException)
        {
            source.Dispose();
            throw new InputException($"--journal: {Pg.Describe(connectionString, null)}: cannot use the database: {e.Message}", e);
        }
    }

    /// <summary>Stores a job and its pending ranges in one transaction; returns its id.</summary>
    public long Submit(JobSpec spec)
    {
        var ranges = RangeExploration.Split(spec.Budget, spec.RangeSize);
        var setup = spec.Setup;
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var insert = Pg.Command(connection, $"""
            INSERT INTO {JobTable} (scenario_name, scenario_file, scenario_text, design, knobs, strategy, seed, pct_depth, max_steps, budget, range_size, state, exploration_id)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, '{JobStates.Running}', $12)
            RETURNING id
            """,
            Pg.P(setup.Scenario), Pg.P(setup.ScenarioFile), Pg.P(setup.ScenarioText), Pg.P(setup.Design), Pg.P(JobJson.WriteKnobs(setup.Knobs)),
            Pg.P(setup.Strategy), Pg.P((decimal)setup.Seed), Pg.P(setup.PctDepth), Pg.P(setup.MaxSteps), Pg.P(spec.Budget), Pg.P(spec.RangeSize),
            Pg.P(BindJournalIds.NewExploration()));
        var id = (long)insert.ExecuteScalar()!;
        using var rows = Pg.Command(connection, $"""
            INSERT INTO {RangeTable} (job_id, range_start, range_end, state)
            SELECT $1, s, e, '{RangeStates.Pending}' FROM unnest($2::bigint[], $3::bigint[]) AS r(s, e)
            """,
            Pg.P(id), Pg.P(ranges.Select(r => r.Start).ToArray()), Pg.P(ranges.Select(r => r.End).ToArray()));
        rows.ExecuteNonQuery();
        transaction.Commit();
        return id;
    }

    /// <exception cref="InputException">No such job.</exception>
    public JobRecord Load(long jobId)
    {
        using var connection = source.OpenConnection();
        return Load(connection, jobId, lockRow: false) ?? throw NoSuchJob(jobId);
    }

    /// <exception cref="InputException">No such job.</exception>
    public JobProgress Progress(long jobId)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var job = Load(connection, jobId, lockRow: false) ?? throw NoSuchJob(jobId);
        using var query = Pg.Command(connection, $"""
            SELECT range_start, range_end, state, worker_id, lease_expires, claims FROM {RangeTable} WHERE job_id = $1 ORDER BY range_start
            """, Pg.P(jobId));
        using var reader = query.ExecuteReader();
        var ranges = new List<JobRange>();
        while (reader.Read())
        {
            ranges.Add(new JobRange(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetInt32(5)));
        }
        return new JobProgress(job, ranges);
    }

    /// <summary>
    /// Claims the first pending range (or one whose lease expired) of a running job — of <paramref name="jobId"/> only
    /// when given — skipping ranges other workers are claiming at this moment. Null when there is none.
    /// </summary>
    public RangeClaim? Claim(long? jobId, string workerId, TimeSpan lease)
    {
        // One statement: the subquery picks and row-locks the range, the update claims it, in one round trip.
        using var connection = source.OpenConnection();
        using var claim = Pg.Command(connection, $"""
            UPDATE {RangeTable} r SET state = '{RangeStates.Claimed}', worker_id = $1, lease_expires = now() + make_interval(secs => $2), claims = r.claims + 1
            FROM (
                SELECT c.job_id, c.range_start
                FROM {RangeTable} c JOIN {JobTable} j ON j.id = c.job_id
                WHERE j.state = '{JobStates.Running}' {(jobId is null ? "" : "AND c.job_id = $3")}
                  AND (c.state = '{RangeStates.Pending}' OR (c.state = '{RangeStates.Claimed}' AND c.lease_expires < now()))
                ORDER BY c.job_id, c.range_start
                LIMIT 1
                FOR UPDATE OF c SKIP LOCKED
            ) picked
            WHERE r.job_id = picked.job_id AND r.range_start = picked.range_start
            RETURNING r.job_id, r.range_start, r.range_end, r.claims, r.lease_expires
            """, [Pg.P(workerId), Pg.P(lease.TotalSeconds), .. jobId is { } id ? [Pg.P(id)] : Array.Empty<NpgsqlParameter>()]);
        using var reader = claim.ExecuteReader();
        return reader.Read()
            ? new RangeClaim(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), workerId, reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    /// <summary>Extends a claim's lease; false when the claim is no longer this worker's (its lease expired and another claimed it).</summary>
    public bool Renew(RangeClaim claim, TimeSpan lease) => Execute($"""
        UPDATE {RangeTable} SET lease_expires = now() + make_interval(secs => $5)
        WHERE {CurrentClaim}
        """, claim, Pg.P(lease.TotalSeconds)) == 1;

    /// <summary>Stores a claimed range's result and marks it done; false (nothing stored) when the claim is no longer current.</summary>
    public bool Complete(RangeClaim claim, RangeResult result)
    {
        if (result.Start != claim.Start || result.End != claim.End)
            throw new ArgumentException($"the result of [{result.Start}, {result.End}) does not belong to the claim of [{claim.Start}, {claim.End})", nameof(result));
        return Execute($"""
            UPDATE {RangeTable} SET state = '{RangeStates.Done}', lease_expires = NULL, result = $5::jsonb
            WHERE {CurrentClaim}
            """, claim, Pg.P(JobJson.Write(result))) == 1;
    }

    /// <summary>Gives a claimed range back (its worker is stopping without a result).</summary>
    public bool Release(RangeClaim claim) => Execute($"""
        UPDATE {RangeTable} SET state = '{RangeStates.Pending}', worker_id = NULL, lease_expires = NULL
        WHERE {CurrentClaim}
        """, claim) == 1;

    /// <summary>Running jobs (<paramref name="jobId"/> only, when given) whose ranges are all done: their merge is due.</summary>
    public IReadOnlyList<long> AwaitingMerge(long? jobId)
    {
        using var connection = source.OpenConnection();
        using var query = Pg.Command(connection, $"""
            SELECT j.id FROM {JobTable} j
            WHERE j.state = '{JobStates.Running}' {(jobId is null ? "" : "AND j.id = $1")}
              AND NOT EXISTS (SELECT 1 FROM {RangeTable} r WHERE r.job_id = j.id AND r.state <> '{RangeStates.Done}')
            ORDER BY j.id
            """, jobId is { } id ? [Pg.P(id)] : []);
        using var reader = query.ExecuteReader();
        var due = new List<long>();
        while (reader.Read())
            due.Add(reader.GetInt64(0));
        return due;
    }

    /// <summary>
    /// Merges job <paramref name="jobId"/> if it is running and all its ranges are done: holds the job's row lock while
    /// <paramref name="merge"/> journals the exploration, then marks the job done in the same transaction. A worker
    /// finishing another range meanwhile waits for the lock and then finds the job done, so the merge happens once.
    /// </summary>
    /// <returns>True when this call merged the job.</returns>
    public bool TryFinish(long jobId, Action<JobRecord, IReadOnlyList<RangeResult>> merge)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var job = Load(connection, jobId, lockRow: true) ?? throw NoSuchJob(jobId);
        if (job.State != JobStates.Running)
            return false;
        using var query = Pg.Command(connection, $"SELECT state, result::text FROM {RangeTable} WHERE job_id = $1 ORDER BY range_start", Pg.P(jobId));
        var results = new List<RangeResult>();
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetString(0) != RangeStates.Done)
                    return false;
                results.Add(JobJson.Read(reader.GetString(1)));
            }
        }
        merge(job, results);
        using var done = Pg.Command(connection, $"UPDATE {JobTable} SET state = '{JobStates.Done}', finished = now() WHERE id = $1", Pg.P(jobId));
        done.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    public void Dispose() => source.Dispose();

    /// <summary>The WHERE clause matching claim ($1 job, $2 start, $3 worker, $4 claim number) while it is current.</summary>
    private const string CurrentClaim = $"job_id = $1 AND range_start = $2 AND worker_id = $3 AND claims = $4 AND state = '{RangeStates.Claimed}'";

    private int Execute(string sql, RangeClaim claim, params NpgsqlParameter[] more)
    {
        using var connection = source.OpenConnection();
        using var command = Pg.Command(connection, sql, [Pg.P(claim.JobId), Pg.P(claim.Start), Pg.P(claim.WorkerId), Pg.P(claim.Claim), .. more]);
        return command.ExecuteNonQuery();
    }

    private static JobRecord? Load(NpgsqlConnection connection, long jobId, bool lockRow)
    {
        using var query = Pg.Command(connection, $"""
            SELECT scenario_name, scenario_file, scenario_text, design, knobs::text, strategy, seed, pct_depth, max_steps, budget, range_size,
                   created, state, exploration_id, finished
            FROM {JobTable} WHERE id = $1 {(lockRow ? "FOR UPDATE" : "")}
            """, Pg.P(jobId));
        using var r = query.ExecuteReader();
        if (!r.Read())
            return null;
        var text = r.GetString(2);
        var setup = new RunSetup(r.GetString(0), r.GetString(1), text, RunRecords.Sha256(text), r.GetString(3), JobJson.ReadKnobs(r.GetString(4)),
            r.GetString(5), (ulong)r.GetDecimal(6), r.GetInt32(7), r.GetInt64(8));
        return new JobRecord(jobId, new JobSpec(setup, r.GetInt64(9), r.GetInt64(10)), r.GetFieldValue<DateTimeOffset>(11), r.GetString(12), r.GetString(13),
            r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14));
    }

    private InputException NoSuchJob(long jobId) => new($"{Target}: no job {jobId} (see `gpuvmsim job submit`)");
}
