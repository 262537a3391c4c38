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
        // Clients hold several connections and the local address is nearly always the same: format each address once.
        var names = new Dictionary<System.Net.IPAddress, string>();
        string Name(System.Net.IPAddress a)
        {
            if (!names.TryGetValue(a, out var n))
            {
                names[a] = n = a.ToString();
            }

            return n;
        }

        await bulk.InsertAsync(connection, tx, "connection", ConnectionColumns, snapshot.Connections, (in TcpConnection c, BulkValues v) =>
        {
            var local = Name(c.LocalAddress);
            var remote = Name(c.RemoteAddress);
            v.Int64(id);
            v.Text(local);
            v.Int32(c.LocalPort);
            v.Text(remote);
            v.Int32(c.RemotePort);
            v.Text(c.State.ToString());
            v.DateTime(c.CreatedAtUtc);
            v.DateTime(previous.TryGetValue((local, c.LocalPort, remote, c.RemotePort), out var seen) ? seen : taken);
            v.Int32(c.ProcessId);
            v.Boolean(c.IsLoopback);
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

    private async Task<Dictionary<(string, int, string, int), DateTime>> PreviousFirstSeenAsync(DbConnection connection, DbTransaction tx, string server, DateTime takenAt, CancellationToken cancellationToken)
    {
        // Two steps, so that the rows are read through ix_connection_snapshot; and a raw reader, not Dapper: this reads
        // a whole snapshot back (50,000 rows for a busy server) on every save.
        var previousId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MAX(id) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at = (
                SELECT MAX(taken_at) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at < @takenAt AND taken_at >= @since)
            """,
            new { server, takenAt = DbTime.Utc(takenAt), since = DbTime.Utc(takenAt - FirstSeenWindow) }, tx, cancellationToken: cancellationToken));
        if (previousId is null)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT local_address, local_port, remote_address, remote_port, first_seen FROM connection WHERE snapshot_id = @id";
        var p = command.CreateParameter();
        p.ParameterName = "@id";
        p.Value = previousId.Value;
        command.Parameters.Add(p);
        var map = new Dictionary<(string, int, string, int), DateTime>();
        var text = factory.Provider == StorageProvider.Sqlite;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var firstSeen = text ? DbTimeText.ParseUtc(reader.GetString(4)) : DbTime.Utc(reader.GetDateTime(4));
            map.TryAdd((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3)), firstSeen);
        }

        return map;
    }

    /// <summary>IPv4-mapped IPv6 shown as IPv4, the form every source and report uses.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
