using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.Logging;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Turns the connection rows of stores written before runs (one row per connection per snapshot, table
/// <c>connection</c>) into runs, server by server, snapshot by snapshot in time order, through the same
/// <see cref="RunBuilder"/> the store uses; then drops that table. Runs after script 0012, in its transaction: a store
/// is converted whole or not at all. First-seen times are made again by the builder's rule, which is the rule the rows
/// were written with when their snapshots were stored in time order. The rows' process ids are not kept (nothing read
/// them), nor their loopback flag (it follows from the addresses).
/// </summary>
internal sealed class ConnectionRunMigration(IDbConnectionFactory factory, ConnectionRunStore runs, ILogger<ConnectionRunMigration> logger) : ISchemaDataMigration
{
    private const int WriteEvery = 50_000;

    public int Version => 12;

    public async Task RunAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var snapshots = (await connection.QueryAsync<(long Id, string Server, DateTime TakenAt)>(new CommandDefinition(
                "SELECT id, server, taken_at FROM snapshot WHERE status = 'ok'", null, transaction, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
            .Select(s => (s.Id, s.Server, TakenAt: DbTime.Utc(s.TakenAt)))
            .ToList();
        long rowsTotal = 0, runsTotal = 0;
        foreach (var server in snapshots.GroupBy(s => s.Server, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (serverId, _, _) = await runs.LockServerAsync(connection, transaction, server.Key, cancellationToken);
            var builder = new RunBuilder(serverId);
            var made = new List<ConnectionRun>();
            var opened = new List<ConnectionRun>();
            var ordered = server.OrderBy(s => s.TakenAt).ThenBy(s => s.Id).ToList();
            long rows = 0, written = 0;
            for (var i = 0; i < ordered.Count; i++)
            {
                var s = ordered[i];
                if (i > 0 && RunTime.Key(s.TakenAt) == RunTime.Key(ordered[i - 1].TakenAt))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Snapshots {ordered[i - 1].Id} and {s.Id} of {s.Server} were taken in the same millisecond ({s.TakenAt:yyyy-MM-dd HH:mm:ss.fff}Z): one snapshot per server and millisecond is kept; delete one of them and start again"));
                }

                var connections = await ReadRowsAsync(connection, transaction, s, cancellationToken);
                rows += connections.Count;
                opened.Clear();
                builder.Add(RunTime.Key(s.TakenAt), s.TakenAt.Ticks, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(connections), made, opened);
                if (made.Count >= WriteEvery)
                {
                    await runs.InsertAsync(connection, transaction, made, cancellationToken);
                    written += made.Count;
                    made.Clear();
                }
            }

            var open = builder.Remaining(close: false).ToList();
            await runs.InsertAsync(connection, transaction, made, cancellationToken);
            await runs.SetOpenAsync(connection, transaction, serverId, builder.LastKey, open, cancellationToken);
            written += made.Count + open.Count;
            await runs.SetVersionAsync(connection, transaction, serverId, Random.Shared.NextInt64(1, long.MaxValue), builder.NextSeq, cancellationToken);
            Log.ServerConverted(logger, server.Key, ordered.Count, rows, written);
            rowsTotal += rows;
            runsTotal += written;
        }

        await connection.ExecuteAsync(new CommandDefinition("DROP TABLE connection", null, transaction, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        Log.ConversionDone(logger, rowsTotal, snapshots.Count, runsTotal, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A snapshot's rows of the old table; a row that cannot be one (a damaged store) stops the migration naming it.</summary>
    private async Task<List<RunRow>> ReadRowsAsync(DbConnection connection, DbTransaction transaction, (long Id, string Server, DateTime TakenAt) snapshot, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = factory.CommandTimeoutSeconds;
        command.CommandText = "SELECT local_address, local_port, remote_address, remote_port, state, created_at FROM connection WHERE snapshot_id = @id";
        var p = command.CreateParameter();
        p.ParameterName = "@id";
        p.Value = snapshot.Id;
        command.Parameters.Add(p);
        var rows = new List<RunRow>();
        var text = factory.Provider == StorageProvider.Sqlite;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            try
            {
                var local = IPAddress.Parse(reader.GetString(0));
                var remote = IPAddress.Parse(reader.GetString(2));
                var state = Enum.TryParse<TcpState>(reader.GetString(4), ignoreCase: false, out var s) && Enum.IsDefined(s)
                    ? s
                    : throw new FormatException($"state '{reader.GetString(4)}' is not a TCP state");
                long? created = reader.IsDBNull(5) ? null : text ? DbTimeText.ParseUtc(reader.GetString(5)).Ticks : DbTime.Utc(reader.GetDateTime(5)).Ticks;
                rows.Add(new RunRow(ConnectionKey.Of(local, Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), remote, Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture)), state, created));
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Snapshot {snapshot.Id} of {snapshot.Server} taken {snapshot.TakenAt:yyyy-MM-dd HH:mm:ss}Z, connection row {rows.Count + 1}: {ex.Message}"), ex);
            }
        }

        return rows;
    }
}
