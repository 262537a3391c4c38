using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using ReportJob.Storage;

namespace ReportJob.Reports;

/// <summary>Reads a day's snapshots from the store and streams their connections, snapshot by snapshot, into the aggregator.</summary>
internal sealed class ConnectionDayReader(IDbConnectionFactory factory)
{
    public const string RowsQuery = "SELECT remote_address, remote_port, state, created_at, first_seen FROM connection WHERE snapshot_id = @id";

    // Rows go to the aggregator in chunks: the read and the aggregation are timed per chunk, not per row.
    private const int ChunkRows = 4096;

    public async Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(DayWindow window, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Server, DateTime TakenAt, string Status, string? Error)>(new CommandDefinition(
            "SELECT id, server, taken_at, status, error FROM snapshot WHERE taken_at >= @from AND taken_at < @to ORDER BY taken_at, server",
            new { from = window.StartUtc, to = window.EndUtc }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => new SnapshotInfo(r.Id, ReportText.Clean(r.Server), DbTime.Utc(r.TakenAt), r.Status == "ok", ReportText.CleanOrNull(r.Error))).ToList();
    }

    /// <summary>Feeds every ok snapshot of the day to the aggregator in time order; adds the time spent reading and aggregating to <paramref name="timings"/>.</summary>
    public async Task ReadAsync(IReadOnlyList<SnapshotInfo> snapshots, ConnectionDayAggregator aggregator, ReportTimings timings, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long aggregating = 0;
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var source = OpenSource(connection, aggregator);
        var rows = new ConnectionRow[ChunkRows];
        foreach (var snapshot in snapshots.Where(s => s.Ok).OrderBy(s => s.TakenAtUtc))
        {
            await source.StartAsync(snapshot, cancellationToken);
            aggregator.BeginSnapshot(snapshot);
            int n;
            while ((n = source.Read(rows)) > 0)
            {
                var chunk = Stopwatch.GetTimestamp();
                aggregator.Add(rows.AsSpan(0, n));
                aggregating += Stopwatch.GetTimestamp() - chunk;
            }
        }

        var aggregated = Stopwatch.GetElapsedTime(0, aggregating);
        timings.Add("connections read", Stopwatch.GetElapsedTime(start) - aggregated);
        timings.Add("connections aggregated", aggregated);
    }

    /// <summary>SQLite is stepped directly when its bundled library is in use; anything else reads through ADO.NET.</summary>
    private IConnectionRowSource OpenSource(DbConnection connection, ConnectionDayAggregator aggregator) =>
        connection is SqliteConnection sqlite && SqliteNative.IsAvailable()
            ? new SqliteConnectionRowSource(sqlite, aggregator)
            : new DbConnectionRowSource(connection, factory.CommandTimeoutSeconds, aggregator);
}
