using System.Data.Common;
using System.Globalization;
using Dapper;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads stored snapshots back: rounds (one collection run across servers), their connections, and summaries.
/// The SQL is the portable subset of SQLite, PostgreSQL and SQL Server (no LIMIT/TOP); ordering of text and limits are
/// applied in C# so that every provider gives the same rows in the same order.
/// </summary>
internal sealed class ConnectionQueries(IDbConnectionFactory factory)
{
    /// <summary>Snapshots of different servers taken less than this after the first of a round belong to that round.</summary>
    public static readonly TimeSpan RoundWindow = TimeSpan.FromMinutes(1);

    /// <summary>How far before a time <see cref="FindRoundAtAsync"/> looks for the round taken at or before it.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(7);

    /// <summary>The round taken nearest at or before <paramref name="atUtc"/>, or null when there is none within <see cref="LookBack"/>.</summary>
    public async Task<ConnectionRound?> FindRoundAtAsync(DateTime atUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        // Latest snapshot at or before the time, without LIMIT/TOP: the MAX is read through a join so that every
        // provider hands back a typed time (SQLite's MAX() of a text column loses the column's type).
        var latest = await connection.QueryAsync<(long Id, DateTime TakenAt)>(new CommandDefinition(
            """
            SELECT s.id, s.taken_at FROM snapshot s
            WHERE s.status = 'ok' AND s.taken_at = (SELECT MAX(taken_at) FROM snapshot WHERE status = 'ok' AND taken_at <= @at AND taken_at > @since)
            """,
            new { at = DbTime.Utc(atUtc), since = DbTime.Utc(atUtc - LookBack) }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        var last = latest.Select(r => DbTime.Utc(r.TakenAt)).DefaultIfEmpty(DateTime.MinValue).Max();
        if (last == DateTime.MinValue)
        {
            return null;
        }

        // Rounds depend only on the snapshots shortly before (an hour is far more than a round spans); the round that
        // holds the latest snapshot may go on a few seconds past the time asked for, and is taken whole.
        var rounds = await FindRoundsAsync(connection, last - TimeSpan.FromHours(1), last + RoundWindow, cancellationToken);
        return rounds.Last(r => r.StartUtc <= last);
    }

    /// <summary>When the latest good snapshot at or before <paramref name="atUtc"/> was taken, however long ago; null when there is none.</summary>
    public async Task<DateTime?> FindLatestSnapshotAsync(DateTime atUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var latest = await connection.QueryAsync<DateTime>(new CommandDefinition(
            """
            SELECT s.taken_at FROM snapshot s
            WHERE s.status = 'ok' AND s.taken_at = (SELECT MAX(taken_at) FROM snapshot WHERE status = 'ok' AND taken_at <= @at)
            """,
            new { at = DbTime.Utc(atUtc) }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return latest.Select(t => (DateTime?)DbTime.Utc(t)).FirstOrDefault();
    }

    /// <summary>The rounds that start in [fromUtc, toUtc), in time order.</summary>
    public async Task<IReadOnlyList<ConnectionRound>> FindRoundsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await FindRoundsAsync(connection, fromUtc, toUtc, cancellationToken);
    }

    /// <summary>The round's connections, ordered by server, local address and port, remote address and port (ordinal).</summary>
    public async Task<IReadOnlyList<StoredConnection>> LoadRoundAsync(ConnectionRound round, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ConnectionRow>(new CommandDefinition(
            $"""
            SELECT s.server AS Server, s.taken_at AS TakenAt, c.local_address AS LocalAddress, c.local_port AS LocalPort,
                   c.remote_address AS RemoteAddress, c.remote_port AS RemotePort, c.state AS State,
                   c.created_at AS CreatedAt, c.first_seen AS FirstSeen
            FROM connection c JOIN snapshot s ON s.id = c.snapshot_id
            WHERE c.snapshot_id IN ({string.Join(", ", round.SnapshotIds.Select((_, i) => "@id" + i.ToString(CultureInfo.InvariantCulture)))})
            """,
            Ids(round.SnapshotIds), commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        var list = rows.Select(r => new StoredConnection(
            r.Server, DbTime.Utc(r.TakenAt), r.LocalAddress, r.LocalPort, r.RemoteAddress, r.RemotePort, r.State,
            DbTime.Utc(r.CreatedAt), DbTime.Utc(r.FirstSeen))).ToList();
        list.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Server, b.Server);
            if (c == 0) c = string.CompareOrdinal(a.LocalAddress, b.LocalAddress);
            if (c == 0) c = a.LocalPort.CompareTo(b.LocalPort);
            if (c == 0) c = string.CompareOrdinal(a.RemoteAddress, b.RemoteAddress);
            if (c == 0) c = a.RemotePort.CompareTo(b.RemotePort);
            return c;
        });
        return list;
    }

    /// <summary>Reads the rounds one at a time into a summary (a day is never held in memory at once).</summary>
    public async Task<ConnectionSummary> SummarizeAsync(IReadOnlyList<ConnectionRound> rounds, SiteMap sites, CancellationToken cancellationToken)
    {
        var summary = new ConnectionSummary(sites);
        foreach (var round in rounds)
        {
            summary.Add(round, await LoadRoundAsync(round, cancellationToken));
        }

        return summary;
    }

    /// <summary>Per server: the last attempt, the last good snapshot and its connections, failures since then, the last failure.</summary>
    public async Task<IReadOnlyList<CollectionHealth>> CollectionHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HealthRow>(new CommandDefinition(CollectionHealthQuery, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => new CollectionHealth(
            r.Server, DbTime.Utc(r.LastAttempt), DbTime.Utc(r.LastOk), r.LastOkConnections, r.FailuresSinceOk, DbTime.Utc(r.LastFailure), r.LastError)).ToList();
    }

    /// <summary>Ids grow with insertion, so "the last" snapshot of a server is its highest id.</summary>
    internal const string CollectionHealthQuery = """
        SELECT s.server AS Server, s.last_attempt AS LastAttempt,
               o.taken_at AS LastOk, o.connection_count AS LastOkConnections,
               (SELECT COUNT(*) FROM snapshot x WHERE x.server = s.server AND x.status <> 'ok' AND x.id > COALESCE(o.id, 0)) AS FailuresSinceOk,
               f.taken_at AS LastFailure, f.error AS LastError
        FROM (SELECT server, MAX(taken_at) AS last_attempt FROM snapshot GROUP BY server) s
        LEFT JOIN snapshot o ON o.id = (SELECT MAX(y.id) FROM snapshot y WHERE y.server = s.server AND y.status = 'ok')
        LEFT JOIN snapshot f ON f.id = (SELECT MAX(z.id) FROM snapshot z WHERE z.server = s.server AND z.status <> 'ok')
        ORDER BY s.server
        """;

    /// <summary>
    /// One parameter per id: Dapper expands <c>IN @ids</c> for SQLite and SQL Server but hands Npgsql an array, which
    /// only <c>= ANY(@ids)</c> accepts. A round has one snapshot per server, so the list stays short.
    /// </summary>
    private static DynamicParameters Ids(IReadOnlyList<long> ids)
    {
        var p = new DynamicParameters();
        for (var i = 0; i < ids.Count; i++)
        {
            p.Add("id" + i.ToString(CultureInfo.InvariantCulture), ids[i]);
        }

        return p;
    }

    private async Task<IReadOnlyList<ConnectionRound>> FindRoundsAsync(DbConnection connection, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var snapshots = (await connection.QueryAsync<(long Id, string Server, DateTime TakenAt)>(new CommandDefinition(
            "SELECT id, server, taken_at FROM snapshot WHERE status = 'ok' AND taken_at >= @from AND taken_at < @to",
            new { from = DbTime.Utc(fromUtc), to = DbTime.Utc(toUtc) }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(s => (s.Id, s.Server, TakenAt: DbTime.Utc(s.TakenAt)))
            .OrderBy(s => s.TakenAt).ThenBy(s => s.Server, StringComparer.Ordinal).ThenBy(s => s.Id)
            .ToList();
        var rounds = new List<ConnectionRound>();
        var ids = new List<long>();
        var servers = new List<string>();
        var start = DateTime.MinValue;
        foreach (var s in snapshots)
        {
            // A new round when the window is over, or when a server comes again (it collects once per round).
            if (ids.Count > 0 && (s.TakenAt - start >= RoundWindow || servers.Contains(s.Server, StringComparer.Ordinal)))
            {
                rounds.Add(new ConnectionRound(start, ids, servers));
                ids = [];
                servers = [];
            }

            if (ids.Count == 0)
            {
                start = s.TakenAt;
            }

            ids.Add(s.Id);
            servers.Add(s.Server);
        }

        if (ids.Count > 0)
        {
            rounds.Add(new ConnectionRound(start, ids, servers));
        }

        return rounds;
    }

    private sealed class HealthRow
    {
        public string Server { get; set; } = "";

        public DateTime? LastAttempt { get; set; }

        public DateTime? LastOk { get; set; }

        public long? LastOkConnections { get; set; }

        public long FailuresSinceOk { get; set; }

        public DateTime? LastFailure { get; set; }

        public string? LastError { get; set; }
    }

    private sealed class ConnectionRow
    {
        public string Server { get; set; } = "";

        public DateTime TakenAt { get; set; }

        public string LocalAddress { get; set; } = "";

        public int LocalPort { get; set; }

        public string RemoteAddress { get; set; } = "";

        public int RemotePort { get; set; }

        public string State { get; set; } = "";

        public DateTime? CreatedAt { get; set; }

        public DateTime FirstSeen { get; set; }
    }
}
