using Gpuvmsim.Persistence.Postgres;

namespace Gpuvmsim.Persistence.Jobs;

/// <summary>
/// The job tables beside the bind journal (same database, same search path), created on first use. The DDL is
/// idempotent and serialized by the journal DDL's advisory lock (<see cref="PostgresSchema.Block"/>), so several hosts starting at once do not race on the catalog.
/// <list type="bullet">
/// <item><c>gpuvmsim_job</c>: one exploration to share (its setup, budget, range size), <c>running</c> then <c>done</c>;</item>
/// <item><c>gpuvmsim_job_range</c>: its schedule ranges [start, end), <c>pending</c> → <c>claimed</c> (worker, lease) → <c>done</c> (result JSON).</item>
/// </list>
/// </summary>
internal static class JobSchema
{
    public const string JobTable = "gpuvmsim_job";
    public const string RangeTable = "gpuvmsim_job_range";

    public static string Ddl { get; } = PostgresSchema.Block(schema: null, $"""
        CREATE TABLE IF NOT EXISTS {JobTable} (
          id BIGSERIAL NOT NULL PRIMARY KEY,
          scenario_name VARCHAR(255) NOT NULL,
          scenario_file TEXT NOT NULL,
          scenario_text TEXT NOT NULL,
          design VARCHAR(255) NOT NULL,
          knobs JSONB NOT NULL,
          strategy VARCHAR(16) NOT NULL,
          seed NUMERIC(20, 0) NOT NULL,
          pct_depth INTEGER NOT NULL,
          max_steps BIGINT NOT NULL,
          budget BIGINT NOT NULL,
          range_size BIGINT NOT NULL,
          created TIMESTAMPTZ NOT NULL DEFAULT now(),
          state VARCHAR(16) NOT NULL CHECK (state IN ('{JobStates.Running}', '{JobStates.Done}')),
          exploration_id VARCHAR(32) NOT NULL,
          finished TIMESTAMPTZ NULL
        );
        CREATE TABLE IF NOT EXISTS {RangeTable} (
          job_id BIGINT NOT NULL REFERENCES {JobTable} (id) ON DELETE CASCADE,
          range_start BIGINT NOT NULL,
          range_end BIGINT NOT NULL,
          state VARCHAR(16) NOT NULL CHECK (state IN ('{RangeStates.Pending}', '{RangeStates.Claimed}', '{RangeStates.Done}')),
          worker_id VARCHAR(255) NULL,
          lease_expires TIMESTAMPTZ NULL,
          claims INTEGER NOT NULL DEFAULT 0,
          result JSONB NULL,
          PRIMARY KEY (job_id, range_start)
        );
        CREATE INDEX IF NOT EXISTS {RangeTable}_claimable ON {RangeTable} (state, job_id, range_start);
        """);
}
