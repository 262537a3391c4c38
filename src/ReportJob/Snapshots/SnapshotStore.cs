using System.Data.Common;
using System.Net;
using Dapper;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>Writes snapshots and their connections; carries each connection's first-seen time over from the server's previous snapshot.</summary>
public sealed class SnapshotStore(IDbConnectionFactory factory, BulkInserter bulk)
{
    /// <summary>A connection seen in the previous snapshot at most this long before keeps its first-seen time.</summary>
    public static readonly TimeSpan FirstSeenWindow = TimeSpan.FromMinutes(30);

    private static readonly BulkColumn[] ConnectionColumns =
    [
        new("snapshot_id", BulkType.Int64),
        new("local_address", BulkType.Text),
        new("local_port", BulkType.Int32),
        new("remote_address", BulkType.Text),
        new("remote_port", BulkType.Int32),
        new("state", BulkType.Text),
        new("created_at", BulkType.DateTime),
        new("first_seen", BulkType.DateTime),
        new("process_id", BulkType.Int32),
        new("is_loopback", BulkType.Boolean),
    ];

    public async Task<long> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var id = await SaveAsync(connection, tx, snapshot, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Saves inside the caller's transaction (an import commits the file's snapshots and its ledger entry together).</summary>
    public async Task<long> SaveAsync(DbConnection connection, DbTransaction tx, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var id = await InsertSnapshotAsync(connection, tx, snapshot.Server, snapshot.Source, snapshot.TakenAtUtc, "ok", null, snapshot.Connections.Count, snapshot.Duration, cancellationToken);
        var previous = await PreviousFirstSeenAsync(connection, tx, snapshot.Server, snapshot.TakenAtUtc, cancellationToken);
        var taken = snapshot.TakenAtUtc;
        await bulk.InsertAsync(connection, tx, "connection", ConnectionColumns, snapshot.Connections, (c, v) =>
        {
            var local = c.LocalAddress.ToString();
            var remote = c.RemoteAddress.ToString();
            v[0] = id;
            v[1] = local;
            v[2] = c.LocalPort;
            v[3] = remote;
            v[4] = c.RemotePort;
            v[5] = c.State.ToString();
            v[6] = c.CreatedAtUtc;
            v[7] = previous.TryGetValue((local, c.LocalPort, remote, c.RemotePort), out var seen) ? seen : taken;
            v[8] = c.ProcessId;
            v[9] = c.IsLoopback;
        }, cancellationToken);
        return id;
    }

    public async Task<long> SaveFailureAsync(SnapshotFailure failure, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await InsertSnapshotAsync(connection, null, failure.Server, failure.Source, failure.AttemptedAtUtc, "failed", failure.Error, 0, failure.Duration, cancellationToken);
    }

    private async Task<long> InsertSnapshotAsync(DbConnection connection, DbTransaction? tx, string server, string source, DateTime takenAt, string status, string? error, int count, TimeSpan duration, CancellationToken cancellationToken)
    {
        var returning = factory.Provider == StorageProvider.SqlServer
            ? "OUTPUT INSERTED.id VALUES (@server, @source, @takenAt, @status, @error, @count, @ms)"
            : "VALUES (@server, @source, @takenAt, @status, @error, @count, @ms) RETURNING id";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"INSERT INTO snapshot (server, source, taken_at, status, error, connection_count, duration_ms) {returning}",
            new { server, source, takenAt = DbTime.Utc(takenAt), status, error, count, ms = (long)duration.TotalMilliseconds },
            tx, cancellationToken: cancellationToken));
    }

    private static async Task<Dictionary<(string, int, string, int), DateTime>> PreviousFirstSeenAsync(DbConnection connection, DbTransaction tx, string server, DateTime takenAt, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Local, int LocalPort, string Remote, int RemotePort, DateTime FirstSeen)>(new CommandDefinition(
            """
            SELECT c.local_address, c.local_port, c.remote_address, c.remote_port, c.first_seen
            FROM connection c JOIN snapshot s ON s.id = c.snapshot_id
            WHERE s.server = @server AND s.status = 'ok' AND s.taken_at = (
                SELECT MAX(taken_at) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at < @takenAt AND taken_at >= @since)
            """,
            new { server, takenAt = DbTime.Utc(takenAt), since = DbTime.Utc(takenAt - FirstSeenWindow) }, tx, cancellationToken: cancellationToken));
        var map = new Dictionary<(string, int, string, int), DateTime>();
        foreach (var r in rows)
        {
            map.TryAdd((r.Local, r.LocalPort, r.Remote, r.RemotePort), DbTime.Utc(r.FirstSeen));
        }

        return map;
    }

    /// <summary>IPv4-mapped IPv6 shown as IPv4, the form every source and report uses.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
