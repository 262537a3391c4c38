using System.Data.Common;
using Dapper;
using ReportJob.Storage;

namespace ReportJob.Reports;

/// <summary>Reads a day's snapshots from the store and streams their connections, snapshot by snapshot, into the aggregator.</summary>
internal sealed class ConnectionDayReader(IDbConnectionFactory factory)
{
    public async Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(DayWindow window, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Server, DateTime TakenAt, string Status, string? Error)>(new CommandDefinition(
            "SELECT id, server, taken_at, status, error FROM snapshot WHERE taken_at >= @from AND taken_at < @to ORDER BY taken_at, server",
            new { from = window.StartUtc, to = window.EndUtc }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.Select(r => new SnapshotInfo(r.Id, ReportText.Clean(r.Server), DbTime.Utc(r.TakenAt), r.Status == "ok", ReportText.CleanOrNull(r.Error))).ToList();
    }

    /// <summary>Feeds every ok snapshot of the day to the aggregator, rounds in time order.</summary>
    public async Task ReadAsync(IReadOnlyList<SnapshotInfo> snapshots, ConnectionDayAggregator aggregator, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT remote_address, remote_port, state, created_at, first_seen FROM connection WHERE snapshot_id = @id";
        command.CommandTimeout = factory.CommandTimeoutSeconds;
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        command.Parameters.Add(id);

        DateTime? round = null;
        foreach (var snapshot in snapshots.Where(s => s.Ok).OrderBy(s => s.TakenAtUtc))
        {
            var minute = new DateTime(snapshot.TakenAtUtc.Ticks - (snapshot.TakenAtUtc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
            if (round != minute)
            {
                aggregator.BeginRound(minute);
                round = minute;
            }

            id.Value = snapshot.Id;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            aggregator.AddSnapshot(snapshot, Rows(reader));
        }
    }

    private IEnumerable<ConnectionRow> Rows(DbDataReader reader)
    {
        // SQLite keeps times as text: its general DateTime parser would cost more than the rest of the row.
        var text = factory.Provider == StorageProvider.Sqlite;
        while (reader.Read())
        {
            yield return new ConnectionRow(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : Time(reader, 3, text),
                Time(reader, 4, text));
        }
    }

    private static DateTime Time(DbDataReader reader, int ordinal, bool text) =>
        text ? DbTimeText.ParseUtc(reader.GetString(ordinal)) : DbTime.Utc(reader.GetDateTime(ordinal));
}
