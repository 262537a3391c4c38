using Dapper;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

/// <summary>Reads and writes the run history, <c>job_run</c>.</summary>
internal sealed class JobRunStore(IDbConnectionFactory factory)
{
    private const string Columns = """
        id AS Id, job AS Job, node AS Node, trigger_kind AS TriggerKind, scheduled_at AS ScheduledAt, started_at AS StartedAt,
        finished_at AS FinishedAt, outcome AS Outcome, attempt AS Attempt, error AS Error, summary AS Summary, link AS Link
        """;

    public async Task<long> StartAsync(JobRunStart run, CancellationToken cancellationToken)
    {
        const string values = """
            (job, node, fire_instance_id, trigger_kind, request_id, scheduled_at, started_at, outcome, attempt)
            """;
        const string parameters = "(@Job, @Node, @FireInstanceId, @TriggerKind, @RequestId, @ScheduledAt, @StartedAt, @Outcome, @Attempt)";
        var sql = factory.Provider switch
        {
            StorageProvider.Postgres => $"INSERT INTO job_run {values} VALUES {parameters} RETURNING id",
            StorageProvider.SqlServer => $"INSERT INTO job_run {values} OUTPUT INSERTED.id VALUES {parameters}",
            _ => $"INSERT INTO job_run {values} VALUES {parameters}; SELECT last_insert_rowid();",
        };
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            run.Job,
            run.Node,
            run.FireInstanceId,
            run.TriggerKind,
            run.RequestId,
            ScheduledAt = run.ScheduledAt.UtcDateTime,
            StartedAt = run.StartedAt.UtcDateTime,
            Outcome = JobRunOutcome.Running,
            run.Attempt,
        }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(long id, string outcome, DateTimeOffset finishedAt, string? error, string? summary, string? link, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE job_run SET outcome = @outcome, finished_at = @finishedAt, error = @error, summary = @summary, link = @link WHERE id = @id",
            new { id, outcome, finishedAt = finishedAt.UtcDateTime, error = Truncate(error, 4000), summary = Truncate(summary, 4000), link },
            commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    public async Task SetOutcomeAsync(long id, string outcome, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE job_run SET outcome = @outcome WHERE id = @id", new { id, outcome }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks the job's runs still shown as running as abandoned: called when a firing is recovered, which happens only
    /// after the node that ran it stopped checking in (the job disallows concurrent runs cluster-wide).
    /// </summary>
    public async Task<int> AbandonRunningAsync(string job, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE job_run SET outcome = @abandoned, finished_at = @at, error = @error WHERE job = @job AND outcome = @running",
            new { job, at = at.UtcDateTime, abandoned = JobRunOutcome.Abandoned, running = JobRunOutcome.Running, error = "The node running it stopped; the firing was recovered by another run." },
            commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<JobRun>> RecentAsync(int limit, string? job, CancellationToken cancellationToken)
    {
        var where = job is null ? "" : "WHERE job = @job";
        var sql = factory.Provider == StorageProvider.SqlServer
            ? $"SELECT TOP (@limit) {Columns} FROM job_run {where} ORDER BY started_at DESC, id DESC"
            : $"SELECT {Columns} FROM job_run {where} ORDER BY started_at DESC, id DESC LIMIT @limit";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { limit, job }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    /// <summary>The latest run of every job.</summary>
    public async Task<IReadOnlyDictionary<string, JobRun>> LastPerJobAsync(CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Columns} FROM job_run WHERE id IN (SELECT MAX(id) FROM job_run GROUP BY job)";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToDictionary(r => r.Job, StringComparer.Ordinal);
    }

    /// <summary>The latest successful run of a job, or null.</summary>
    public async Task<JobRun?> LastOkAsync(string job, CancellationToken cancellationToken)
    {
        var sql = factory.Provider == StorageProvider.SqlServer
            ? $"SELECT TOP (1) {Columns} FROM job_run WHERE job = @job AND outcome = @ok ORDER BY id DESC"
            : $"SELECT {Columns} FROM job_run WHERE job = @job AND outcome = @ok ORDER BY id DESC LIMIT 1";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new { job, ok = JobRunOutcome.Ok }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    /// <summary>The runs started for one "run now" request (<c>reportjob jobs run</c>), latest first.</summary>
    public async Task<IReadOnlyList<JobRun>> ForRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Columns} FROM job_run WHERE request_id = @requestId ORDER BY id DESC";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { requestId }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    /// <summary>Per server: the last good snapshot, the last failure and its error (from the <c>snapshot</c> table).</summary>
    public async Task<IReadOnlyList<ServerHealth>> ServerHealthAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s.server AS Server,
                   (SELECT MAX(o.taken_at) FROM snapshot o WHERE o.server = s.server AND o.status = 'ok') AS LastOk,
                   f.taken_at AS LastFailure, f.error AS LastError, s.last_attempt AS LastAttempt
            FROM (SELECT server, MAX(taken_at) AS last_attempt FROM snapshot GROUP BY server) s
            LEFT JOIN snapshot f ON f.id = (SELECT MAX(x.id) FROM snapshot x WHERE x.server = s.server AND x.status <> 'ok')
            ORDER BY s.server
            """;
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(sql, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => new ServerHealth(r.Server, DbTime.Utc(r.LastOk), DbTime.Utc(r.LastFailure), r.LastError, DbTime.Utc(r.LastAttempt))).ToList();
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private sealed class Row
    {
        public long Id { get; set; }

        public string Job { get; set; } = "";

        public string Node { get; set; } = "";

        public string TriggerKind { get; set; } = "";

        public DateTime ScheduledAt { get; set; }

        public DateTime StartedAt { get; set; }

        public DateTime? FinishedAt { get; set; }

        public string Outcome { get; set; } = "";

        public int Attempt { get; set; }

        public string? Error { get; set; }

        public string? Summary { get; set; }

        public string? Link { get; set; }

        public JobRun ToRun() => new(Id, Job, Node, TriggerKind, DbTime.Utc(ScheduledAt), DbTime.Utc(StartedAt), DbTime.Utc(FinishedAt), Outcome, Attempt, Error, Summary, Link);
    }

    private sealed class HealthRow
    {
        public string Server { get; set; } = "";

        public DateTime? LastOk { get; set; }

        public DateTime? LastFailure { get; set; }

        public string? LastError { get; set; }

        public DateTime? LastAttempt { get; set; }
    }
}
