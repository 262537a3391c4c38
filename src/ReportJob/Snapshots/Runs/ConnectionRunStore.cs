using System.Data.Common;
using Dapper;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// The SQL of the runs, inside the caller's transaction: the server row (its id, and the version that tells a writer its
/// cached open runs are still right), the ok snapshots around a time, runs read by key range, written in bulk, closed in
/// bulk, and a server's day of runs deleted for a rebuild.
/// </summary>
internal sealed class ConnectionRunStore(IDbConnectionFactory factory, BulkInserter bulk)
{
    private static readonly BulkColumn[] RunColumnsToWrite =
    [
        new("first_at", BulkType.Int64),
        new("server_id", BulkType.Int32),
        new("remote_address", BulkType.Binary),
        new("remote_port", BulkType.Int32),
        new("local_address", BulkType.Binary),
        new("local_port", BulkType.Int32),
        new("last_at", BulkType.Int64),
        new("state", BulkType.Int32),
        new("created_at", BulkType.Int64),
        new("first_seen", BulkType.Int64),
    ];

    private static readonly BulkColumn[] KeyColumns =
    [
        new("first_at", BulkType.Int64),
        new("server_id", BulkType.Int32),
        new("remote_address", BulkType.Binary),
        new("remote_port", BulkType.Int32),
        new("local_address", BulkType.Binary),
        new("local_port", BulkType.Int32),
    ];

    public StorageProvider Provider => factory.Provider;

    public int CommandTimeoutSeconds => factory.CommandTimeoutSeconds;

    /// <summary>The server's id and version, the row made when the server is new, and locked for the transaction (one writer per server at a time).</summary>
    public async Task<(int Id, long Version)> LockServerAsync(DbConnection connection, DbTransaction tx, string name, CancellationToken cancellationToken)
    {
        var sql = factory.Provider switch
        {
            StorageProvider.SqlServer => """
                IF NOT EXISTS (SELECT 1 FROM snapshot_server WITH (UPDLOCK, HOLDLOCK) WHERE name = @name)
                    INSERT INTO snapshot_server (name, version) VALUES (@name, 0);
                SELECT id, version FROM snapshot_server WITH (UPDLOCK, ROWLOCK) WHERE name = @name;
                """,
            StorageProvider.Postgres => """
                INSERT INTO snapshot_server (name, version) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING;
                SELECT id, version FROM snapshot_server WHERE name = @name FOR UPDATE;
                """,
            // SQLite: the transaction holds the database's write lock already.
            _ => """
                INSERT INTO snapshot_server (name, version) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING;
                SELECT id, version FROM snapshot_server WHERE name = @name;
                """,
        };
        return await connection.QuerySingleAsync<(int, long)>(new CommandDefinition(sql, new { name }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    public Task SetVersionAsync(DbConnection connection, DbTransaction tx, int serverId, long version, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE snapshot_server SET version = @version WHERE id = @serverId", new { version, serverId }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));

    /// <summary>The server names by id.</summary>
    public async Task<Dictionary<int, string>> ServersAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(int Id, string Name)>(new CommandDefinition("SELECT id, name FROM snapshot_server", null, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
        .ToDictionary(s => s.Id, s => s.Name);

    /// <summary>The exact times of the server's ok snapshots with keys in [<paramref name="fromKey"/>, <paramref name="toKey"/>), in order.</summary>
    public async Task<List<DateTime>> SnapshotTimesAsync(DbConnection connection, DbTransaction? tx, string server, long fromKey, long toKey, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT taken_at FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at >= @from AND taken_at < @to ORDER BY taken_at",
            new { server, from = RunTime.FromKey(fromKey), to = RunTime.FromKey(toKey) }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)))
        .Select(DbTime.Utc).ToList();

    /// <summary>The server's latest ok snapshot with a key before <paramref name="beforeKey"/>, however long ago.</summary>
    public async Task<DateTime?> PreviousSnapshotAsync(DbConnection connection, DbTransaction? tx, string server, long beforeKey, CancellationToken cancellationToken)
    {
        // The MAX is read through a join so that every provider hands back a typed time (SQLite's MAX() of a text column loses its type).
        var times = await connection.QueryAsync<DateTime>(new CommandDefinition(
            """
            SELECT s.taken_at FROM snapshot s
            WHERE s.server = @server AND s.status = 'ok'
              AND s.taken_at = (SELECT MAX(taken_at) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at < @before)
            """,
            new { server, before = RunTime.FromKey(beforeKey) }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return times.Select(t => (DateTime?)DbTime.Utc(t)).FirstOrDefault();
    }

    /// <summary>The server's earliest ok snapshot with a key at or after <paramref name="fromKey"/>.</summary>
    public async Task<DateTime?> NextSnapshotAsync(DbConnection connection, DbTransaction? tx, string server, long fromKey, CancellationToken cancellationToken)
    {
        var times = await connection.QueryAsync<DateTime>(new CommandDefinition(
            """
            SELECT s.taken_at FROM snapshot s
            WHERE s.server = @server AND s.status = 'ok'
              AND s.taken_at = (SELECT MIN(taken_at) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at >= @from)
            """,
            new { server, from = RunTime.FromKey(fromKey) }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return times.Select(t => (DateTime?)DbTime.Utc(t)).FirstOrDefault();
    }

    /// <summary>The server's runs whose first snapshot has a key in [<paramref name="fromKey"/>, <paramref name="toKey"/>).</summary>
    public async Task<List<ConnectionRun>> RunsAsync(DbConnection connection, DbTransaction? tx, int serverId, long fromKey, long toKey, CancellationToken cancellationToken)
    {
        var runs = new List<ConnectionRun>();
        await using var cursor = await RowCursor.OpenAsync(connection, tx,
            $"SELECT {RunColumns.Select} FROM connection_run WHERE first_at >= @p0 AND first_at < @p1 AND server_id = @p2",
            [fromKey, toKey, serverId], factory.CommandTimeoutSeconds, cancellationToken);
        long row = 0;
        while (cursor.Read())
        {
            runs.Add(RunColumns.Read(cursor, ++row));
        }

        return runs;
    }

    public Task InsertAsync(DbConnection connection, DbTransaction tx, IEnumerable<ConnectionRun> runs, CancellationToken cancellationToken)
    {
        // Clients hold several connections and a server has one or two addresses: the bytes of each address are made once.
        var bytes = new Dictionary<RunAddress, byte[]>();
        byte[] Bytes(RunAddress a)
        {
            if (!bytes.TryGetValue(a, out var b))
            {
                bytes[a] = b = a.ToBytes();
            }

            return b;
        }

        return bulk.InsertAsync(connection, tx, "connection_run", RunColumnsToWrite, runs, (in ConnectionRun r, BulkValues v) =>
        {
            v.Int64(r.First);
            v.Int32(r.ServerId);
            v.Blob(Bytes(r.Key.Remote));
            v.Int32(r.Key.RemotePort);
            v.Blob(Bytes(r.Key.Local));
            v.Int32(r.Key.LocalPort);
            v.Int64(r.Last);
            v.Int32((int)r.State);
            v.Int64(r.CreatedTicks);
            v.Int64(r.FirstSeenTicks);
        }, cancellationToken);
    }

    /// <summary>Sets the last snapshot of open runs (given by their keys) to <paramref name="last"/>: through a staging table and one UPDATE.</summary>
    public async Task CloseAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<ConnectionRun> runs, long last, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var (table, create, update) = factory.Provider switch
        {
            StorageProvider.SqlServer => ("#run_close",
                "IF OBJECT_ID('tempdb..#run_close') IS NULL CREATE TABLE #run_close (first_at bigint, server_id int, remote_address varbinary(20), remote_port int, local_address varbinary(20), local_port int); DELETE FROM #run_close;",
                "UPDATE r SET last_at = @last FROM connection_run r JOIN #run_close c ON " + Join),
            StorageProvider.Postgres => ("run_close",
                "CREATE TEMP TABLE IF NOT EXISTS run_close (first_at bigint, server_id integer, remote_address bytea, remote_port integer, local_address bytea, local_port integer); DELETE FROM run_close;",
                "UPDATE connection_run r SET last_at = @last FROM run_close c WHERE " + Join),
            _ => ("temp.run_close",
                "CREATE TEMP TABLE IF NOT EXISTS run_close (first_at INTEGER, server_id INTEGER, remote_address BLOB, remote_port INTEGER, local_address BLOB, local_port INTEGER); DELETE FROM temp.run_close;",
                "UPDATE connection_run AS r SET last_at = @last FROM temp.run_close AS c WHERE " + Join),
        };
        await connection.ExecuteAsync(new CommandDefinition(create, null, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        await bulk.InsertAsync(connection, tx, table, KeyColumns, runs, (in ConnectionRun r, BulkValues v) =>
        {
            v.Int64(r.First);
            v.Int32(r.ServerId);
            v.Blob(r.Key.Remote.ToBytes());
            v.Int32(r.Key.RemotePort);
            v.Blob(r.Key.Local.ToBytes());
            v.Int32(r.Key.LocalPort);
        }, cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(update, new { last }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        if (updated != runs.Count)
        {
            // The open runs held in memory did not match the store: the transaction must not commit half a change.
            throw new InvalidOperationException($"Closing {runs.Count} runs changed {updated} rows of connection_run");
        }
    }

    /// <summary>Deletes the server's runs whose first snapshot has a key in [<paramref name="fromKey"/>, <paramref name="toKey"/>).</summary>
    public Task DeleteAsync(DbConnection connection, DbTransaction tx, int serverId, long fromKey, long toKey, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM connection_run WHERE first_at >= @fromKey AND first_at < @toKey AND server_id = @serverId",
            new { fromKey, toKey, serverId }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));

    private const string Join =
        "r.first_at = c.first_at AND r.server_id = c.server_id AND r.remote_address = c.remote_address AND r.remote_port = c.remote_port AND r.local_address = c.local_address AND r.local_port = c.local_port";
}
