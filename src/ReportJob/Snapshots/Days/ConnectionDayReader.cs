using System.Diagnostics;
using Dapper;
using ReportJob.Reports;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads a day (any UTC interval) of snapshots and the runs that cover them into a <see cref="ConnectionDayAggregator"/>.
/// Runs never cross a UTC midnight, so the runs of an interval are those whose first snapshot lies between the UTC
/// midnight before it and its end: one range of the table's key, read in key order.
/// </summary>
internal sealed class ConnectionDayReader(IDbConnectionFactory factory, ConnectionRunStore runs)
{
    // Runs go to the aggregator in chunks: the read and the aggregation are timed per chunk, not per run.
    private const int ChunkRuns = 4096;

    /// <summary>The snapshots of [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), ok and failed, with names and errors cleaned for the report.</summary>
    public async Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Server, DateTime TakenAt, string Status, string? Error)>(new CommandDefinition(
            "SELECT id, server, taken_at, status, error FROM snapshot WHERE taken_at >= @from AND taken_at < @to ORDER BY taken_at, server",
            new { from = fromUtc, to = toUtc }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => new SnapshotInfo(r.Id, ReportText.Clean(r.Server), DbTime.Utc(r.TakenAt), r.Status == "ok", ReportText.CleanOrNull(r.Error))).ToList();
    }

    /// <summary>Gives the aggregator the ok snapshots of [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) and their runs; returns the time spent reading and aggregating.</summary>
    public async Task<(TimeSpan Reading, TimeSpan Aggregating)> ReadAsync(DateTime fromUtc, DateTime toUtc, ConnectionDayAggregator aggregator, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long aggregating = 0;
        var dayStart = RunTime.FromKey(RunTime.DayStart(RunTime.Key(fromUtc)));
        await using var connection = await factory.OpenAsync(cancellationToken);
        // The ok snapshots from the UTC midnight on: those before the interval only tell the exact time a run began.
        var snapshots = (await connection.QueryAsync<(string Server, DateTime TakenAt)>(new CommandDefinition(
                "SELECT server, taken_at FROM snapshot WHERE status = 'ok' AND taken_at >= @from AND taken_at < @to ORDER BY taken_at, server",
                new { from = dayStart, to = toUtc }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(s => (s.Server, TakenAt: DbTime.Utc(s.TakenAt))).ToList();
        aggregator.Begin(snapshots.Where(s => s.TakenAt >= fromUtc).ToList());
        var takenOf = snapshots.GroupBy(s => s.Server, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(s => RunTime.Key(s.TakenAt)).ToDictionary(k => k.Key, k => k.First().TakenAt.Ticks), StringComparer.Ordinal);
        var servers = (await runs.ServersAsync(connection, null, cancellationToken))
            .ToDictionary(s => s.Key, s => (Stream: aggregator.StreamOf(s.Value), Taken: takenOf.GetValueOrDefault(s.Value)));

        var clients = new Dictionary<RunAddress, int>();
        var locals = new Dictionary<RunAddress, int>();
        var states = new int[256];
        Array.Fill(states, -1);
        var chunk = new DayRun[ChunkRuns];
        var n = 0;
        await using var scan = await runs.ScanAsync(connection, fromUtc, toUtc, cancellationToken);
        while (scan.Next(out var run))
        {
            if (!servers.TryGetValue(run.ServerId, out var server) || server.Stream < 0 || !aggregator.Covers(server.Stream, run.First, run.Last, out var first, out var last))
            {
                continue;
            }

            if (!clients.TryGetValue(run.Key.Remote, out var client))
            {
                clients[run.Key.Remote] = client = aggregator.ClientIndex(run.Key.Remote.ToString());
            }

            if (!locals.TryGetValue(run.Key.Local, out var local))
            {
                locals[run.Key.Local] = local = aggregator.LocalIndex(run.Key.Local.ToString());
            }

            ref var state = ref states[(int)run.State];
            if (state < 0)
            {
                state = aggregator.StateIndex(run.State.ToString());
            }

            // The first-seen time counts only without a creation time; NULL is the run's first snapshot's exact time.
            var firstSeen = run.CreatedTicks is not null ? 0
                : run.FirstSeenTicks ?? (server.Taken is { } taken && taken.TryGetValue(run.First, out var t) ? t : RunTime.FromKey(run.First).Ticks);
            chunk[n++] = new DayRun(server.Stream, first, last, client, state, run.Key.RemotePort, local, run.Key.LocalPort,
                run.CreatedTicks ?? DayRun.NoCreationTime, firstSeen);
            if (n == chunk.Length)
            {
                aggregating += Aggregate(aggregator, chunk, n);
                n = 0;
            }
        }

        aggregating += Aggregate(aggregator, chunk, n);
        var aggregated = Stopwatch.GetElapsedTime(0, aggregating);
        return (Stopwatch.GetElapsedTime(start) - aggregated, aggregated);
    }

    private static long Aggregate(ConnectionDayAggregator aggregator, DayRun[] chunk, int count)
    {
        var start = Stopwatch.GetTimestamp();
        aggregator.Add(chunk.AsSpan(0, count));
        return Stopwatch.GetTimestamp() - start;
    }
}
