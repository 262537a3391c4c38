using System.Data.Common;
using System.Globalization;
using Dapper;
using ReportJob.Sites;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads stored snapshots back: rounds (one collection run across servers, <see cref="ConnectionRound.Assign"/>), their
/// connections (from the runs that cover them), and summaries.
/// The SQL is the portable subset of SQLite, PostgreSQL and SQL Server (no LIMIT/TOP); ordering of text and limits are
/// applied in C# so that every provider gives the same rows in the same order.
/// </summary>
internal sealed class ConnectionQueries(IDbConnectionFactory factory, ConnectionRunStore runs)
{
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
        var rounds = await FindRoundsAsync(connection, last - TimeSpan.FromHours(1), last + ConnectionRound.Window, cancellationToken);
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
        await foreach (var (_, connections) in ReadRoundsAsync([round], cancellationToken))
        {
            return connections;
        }

        return [];
    }

    /// <summary>
    /// Each round's connections, in the order <see cref="LoadRoundAsync"/> gives them, rounds in time order: the runs of
    /// the rounds' span are read once and walked through each server's snapshots.
    /// </summary>
    public async IAsyncEnumerable<(ConnectionRound Round, IReadOnlyList<StoredConnection> Connections)> ReadRoundsAsync(
        IReadOnlyList<ConnectionRound> rounds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (rounds.Count == 0)
        {
            yield break;
        }

        var ordered = rounds.OrderBy(r => r.StartUtc).ToList();
        var ids = ordered.SelectMany(r => r.SnapshotIds).ToHashSet();
        var from = ordered[0].StartUtc;
        var to = ordered[^1].StartUtc + ConnectionRound.Window;
        var dayStart = RunTime.FromKey(RunTime.DayStart(RunTime.Key(from)));
        await using var connection = await factory.OpenAsync(cancellationToken);
        // From the UTC midnight on: the exact times of the snapshots runs began in (their first-seen time).
        var snapshots = (await connection.QueryAsync<(long Id, string Server, DateTime TakenAt)>(new CommandDefinition(
                "SELECT id, server, taken_at FROM snapshot WHERE status = 'ok' AND taken_at >= @from AND taken_at < @to",
                new { from = dayStart, to }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(s => (s.Id, s.Server, TakenAt: DbTime.Utc(s.TakenAt))).ToList();
        var byId = snapshots.ToDictionary(s => s.Id);
        var takenOf = snapshots.GroupBy(s => (s.Server, RunTime.Key(s.TakenAt))).ToDictionary(g => g.Key, g => g.First().TakenAt);
        var servers = await runs.ServersAsync(connection, null, cancellationToken);
        var wanted = ordered.SelectMany(r => r.SnapshotIds).Where(byId.ContainsKey).Select(id => RunTime.Key(byId[id].TakenAt)).ToList();
        if (wanted.Count == 0)
        {
            foreach (var round in ordered)
            {
                yield return (round, []);
            }

            yield break;
        }

        var texts = new Dictionary<RunAddress, string>();
        string Text(RunAddress a)
        {
            if (!texts.TryGetValue(a, out var t))
            {
                texts[a] = t = a.ToString();
            }

            return t;
        }

        // The runs of the span, per server, walked through its snapshots in time order (a server's snapshots come in
        // time order from round to round, not always within one round).
        var first = wanted.Min();
        var last = wanted.Max();
        var perServer = new Dictionary<string, List<ConnectionRun>>(StringComparer.Ordinal);
        await using (var scan = await runs.ScanAsync(connection, RunTime.FromKey(first), RunTime.FromKey(last + 1), cancellationToken))
        {
            foreach (var run in scan.Runs())
            {
                if (servers.TryGetValue(run.ServerId, out var name) && run.Last >= first && run.First <= last)
                {
                    if (!perServer.TryGetValue(name, out var list))
                    {
                        perServer[name] = list = [];
                    }

                    list.Add(run);
                }
            }
        }

        var sweeps = perServer.ToDictionary(kv => kv.Key, kv => new RunSweep(kv.Value), StringComparer.Ordinal);
        foreach (var round in ordered)
        {
            var list = new List<StoredConnection>();
            foreach (var id in round.SnapshotIds)
            {
                if (!byId.TryGetValue(id, out var snapshot) || !sweeps.TryGetValue(snapshot.Server, out var sweep))
                {
                    continue;
                }

                var key = RunTime.Key(snapshot.TakenAt);
                foreach (var r in sweep.Covering(key))
                {
                    var firstSeen = r.FirstSeenTicks is { } ticks ? new DateTime(ticks, DateTimeKind.Utc)
                        : takenOf.TryGetValue((snapshot.Server, r.First), out var t) ? t : RunTime.FromKey(r.First);
                    list.Add(new StoredConnection(snapshot.Server, snapshot.TakenAt, Text(r.Key.Local), r.Key.LocalPort, Text(r.Key.Remote), r.Key.RemotePort,
                        r.State.ToString(), r.CreatedTicks is { } c ? new DateTime(c, DateTimeKind.Utc) : null, firstSeen));
                }
            }

            list.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.Server, b.Server);
                if (c == 0) c = string.CompareOrdinal(a.LocalAddress, b.LocalAddress);
                if (c == 0) c = a.LocalPort.CompareTo(b.LocalPort);
                if (c == 0) c = string.CompareOrdinal(a.RemoteAddress, b.RemoteAddress);
                if (c == 0) c = a.RemotePort.CompareTo(b.RemotePort);
                return c;
            });
            yield return (round, list);
        }
    }

    /// <summary>Reads the rounds one at a time into a summary (a day is never held in memory at once).</summary>
    public async Task<ConnectionSummary> SummarizeAsync(IReadOnlyList<ConnectionRound> rounds, SiteMap sites, CancellationToken cancellationToken)
    {
        var summary = new ConnectionSummary(sites);
        await foreach (var (round, connections) in ReadRoundsAsync(rounds, cancellationToken))
        {
            summary.Add(round, connections);
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

    private async Task<IReadOnlyList<ConnectionRound>> FindRoundsAsync(DbConnection connection, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var snapshots = (await connection.QueryAsync<(long Id, string Server, DateTime TakenAt)>(new CommandDefinition(
            "SELECT id, server, taken_at FROM snapshot WHERE status = 'ok' AND taken_at >= @from AND taken_at < @to",
            new { from = DbTime.Utc(fromUtc), to = DbTime.Utc(toUtc) }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(s => (s.Id, s.Server, TakenAt: DbTime.Utc(s.TakenAt)))
            .OrderBy(s => s.TakenAt).ThenBy(s => s.Server, StringComparer.Ordinal).ThenBy(s => s.Id)
            .ToList();
        var assigned = ConnectionRound.Assign(snapshots.Select(s => (s.Server, s.TakenAt)).ToList());
        return snapshots.Select((s, i) => (Snapshot: s, Round: assigned[i]))
            .GroupBy(x => x.Round)
            .Select(g => new ConnectionRound(g.First().Snapshot.TakenAt, g.Select(x => x.Snapshot.Id).ToList(), g.Select(x => x.Snapshot.Server).ToList()))
            .ToList();
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
}
