using System.Data.Common;
using Dapper;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// The SQL of the runs, inside the caller's transaction: the server row (its id, the version that tells a writer its
/// cached open runs are still right, the next run's number, and the runs open at its latest snapshot), the ok snapshots
/// around a time, ended runs (rows) read by key range, written in bulk and extended in bulk, and a server's day of runs
/// deleted for a rebuild.
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
        new("seq", BulkType.Int64),
    ];

    private static readonly BulkColumn[] KeyColumns = [new("seq", BulkType.Int64)];

    public StorageProvider Provider => factory.Provider;

    public int CommandTimeoutSeconds => factory.CommandTimeoutSeconds;

    /// <summary>
    /// The server's id, version and the number its next run gets; the row is made when the server is new, and locked for
    /// the transaction (one writer per server at a time).
    /// </summary>
    public async Task<(int Id, long Version, long NextSeq)> LockServerAsync(DbConnection connection, DbTransaction tx, string name, CancellationToken cancellationToken)
    {
        var sql = factory.Provider switch
        {
            StorageProvider.SqlServer => """
                IF NOT EXISTS (SELECT 1 FROM snapshot_server WITH (UPDLOCK, HOLDLOCK) WHERE name = @name)
                    INSERT INTO snapshot_server (name, version, next_seq) VALUES (@name, 0, 1);
                SELECT id, version, next_seq FROM snapshot_server WITH (UPDLOCK, ROWLOCK) WHERE name = @name;
                """,
            StorageProvider.Postgres => """
                INSERT INTO snapshot_server (name, version, next_seq) VALUES (@name, 0, 1) ON CONFLICT (name) DO NOTHING;
                SELECT id, version, next_seq FROM snapshot_server WHERE name = @name FOR UPDATE;
                """,
            // SQLite: the transaction holds the database's write lock already.
            _ => """
                INSERT INTO snapshot_server (name, version, next_seq) VALUES (@name, 0, 1) ON CONFLICT (name) DO NOTHING;
                SELECT id, version, next_seq FROM snapshot_server WHERE name = @name;
                """,
        };
        return await connection.QuerySingleAsync<(int, long, long)>(new CommandDefinition(sql, new { name }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }

    public Task SetVersionAsync(DbConnection connection, DbTransaction tx, int serverId, long version, long nextSeq, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE snapshot_server SET version = @version, next_seq = @nextSeq WHERE id = @serverId", new { version, nextSeq, serverId }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));

    /// <summary>Keeps the runs open at the server's latest snapshot <paramref name="openAt"/>.</summary>
    public Task SetOpenAsync(DbConnection connection, DbTransaction tx, int serverId, long openAt, IReadOnlyCollection<ConnectionRun> runs, CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        var length = OpenRuns.Encode(runs, runs.Count, openAt, ref buffer);
        return SetOpenAsync(connection, tx, serverId, openAt, buffer, length, cancellationToken);
    }

    /// <summary>Keeps the runs open at the server's latest snapshot, encoded (<see cref="OpenRuns"/>) in the first <paramref name="length"/> bytes of <paramref name="encoded"/>.</summary>
    public Task SetOpenAsync(DbConnection connection, DbTransaction tx, int serverId, long openAt, byte[] encoded, int length, CancellationToken cancellationToken) =>
        BlobStatement.ExecuteAsync(connection, tx, "UPDATE snapshot_server SET open_at = @p0, open_runs = @blob WHERE id = @p1",
            [openAt, serverId], encoded.AsMemory(0, length), factory.CommandTimeoutSeconds, cancellationToken);

    /// <summary>The servers' open runs, of those whose latest snapshot has a key at or after <paramref name="fromKey"/> (all: <see cref="long.MinValue"/>).</summary>
    public async Task<List<ConnectionRun>> OpenRunsAsync(DbConnection connection, DbTransaction? tx, long fromKey, int? serverId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(int Id, long OpenAt, byte[] Runs)>(new CommandDefinition(
            "SELECT id, open_at, open_runs FROM snapshot_server WHERE open_at >= @fromKey AND (@serverId IS NULL OR id = @serverId)",
            new { fromKey, serverId }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        return rows.SelectMany(r => OpenRuns.Decode(r.Runs, r.Id, r.OpenAt)).ToList();
    }

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

    /// <summary>The server's runs of the UTC days in [<paramref name="fromKey"/>, <paramref name="toKey"/>) (keys of midnights): ended then, or open and begun then.</summary>
    public async Task<List<ConnectionRun>> RunsAsync(DbConnection connection, DbTransaction? tx, int serverId, long fromKey, long toKey, CancellationToken cancellationToken)
    {
        var runs = new List<ConnectionRun>();
        await using (var cursor = await RowCursor.OpenAsync(connection, tx,
            $"SELECT {RunColumns.Select} FROM connection_run WHERE last_at >= @p0 AND last_at < @p1 AND server_id = @p2",
            [fromKey, toKey, serverId], factory.CommandTimeoutSeconds, cancellationToken))
        {
            long row = 0;
            while (cursor.Read())
            {
                runs.Add(RunColumns.Read(cursor, ++row));
            }
        }

        runs.AddRange((await OpenRunsAsync(connection, tx, fromKey, serverId, cancellationToken)).Where(r => r.First < toKey));
        return runs;
    }

    /// <summary>
    /// The runs that may cover a snapshot in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): the ended ones from its
    /// start to the end of the UTC day it ends in, begun before its end (one range of the key: runs never cross a UTC
    /// midnight), and the open ones of servers whose latest snapshot is not before it.
    /// </summary>
    public async Task<RunScan> ScanAsync(DbConnection connection, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var from = RunTime.Key(fromUtc);
        var to = RunTime.Key(toUtc) + 1;
        var open = (await OpenRunsAsync(connection, null, from, null, cancellationToken)).Where(r => r.First < to).ToList();
        var cursor = await RowCursor.OpenAsync(connection, null,
            $"SELECT {RunColumns.Select} FROM connection_run WHERE last_at >= @p0 AND last_at < @p1 AND first_at < @p2",
            [from, RunTime.DayStart(to - 1) + RunTime.MillisecondsPerDay, to], factory.CommandTimeoutSeconds, cancellationToken);
        return new RunScan(cursor, open);
    }

    public Task InsertAsync(DbConnection connection, DbTransaction tx, IEnumerable<ConnectionRun> runs, CancellationToken cancellationToken)
    {
        // A server has one or two local addresses: their bytes are made once.
        var locals = new Dictionary<RunAddress, byte[]>();
        byte[] Local(RunAddress a)
        {
            if (!locals.TryGetValue(a, out var b))
            {
                locals[a] = b = a.ToBytes();
            }

            return b;
        }

        return bulk.InsertAsync(connection, tx, "connection_run", RunColumnsToWrite, runs, (in ConnectionRun r, BulkValues v) =>
        {
            v.Int64(r.First);
            v.Int32(r.ServerId);
            v.Blob(r.Key.Remote.ToBytes());
            v.Int32(r.Key.RemotePort);
            v.Blob(Local(r.Key.Local));
            v.Int32(r.Key.StoredLocalPort);
            v.Int64(r.Last);
            v.Int32((int)r.State);
            v.Int64(r.CreatedTicks);
            v.Int64(r.FirstSeenTicks);
            v.Int64(r.Seq);
        }, cancellationToken);
    }

    /// <summary>
    /// Moves the last snapshot of the server's runs (given by their numbers) from <paramref name="from"/> to
    /// <paramref name="last"/>: closes open runs, or extends closed ones. Through a staging table and one UPDATE.
    /// </summary>
    public async Task MoveLastAsync(DbConnection connection, DbTransaction tx, int serverId, IReadOnlyCollection<ConnectionRun> runs, long from, long last, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var (table, create, update) = MoveLastTexts(factory.Provider);
        await connection.ExecuteAsync(new CommandDefinition(create, null, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        await bulk.InsertAsync(connection, tx, table, KeyColumns, runs, (in ConnectionRun r, BulkValues v) => v.Int64(r.Seq), cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(update, new { from, last, serverId }, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        if (updated != runs.Count)
        {
            // The runs held in memory did not match the store: the transaction must not commit half a change.
            throw new InvalidOperationException($"Moving the end of {runs.Count} runs changed {updated} rows of connection_run");
        }
    }

    /// <summary>The staging table <see cref="MoveLastAsync"/> fills, the statement that makes it, and the UPDATE from it.</summary>
    internal static (string Table, string Create, string Update) MoveLastTexts(StorageProvider provider) => provider switch
    {
        StorageProvider.SqlServer => ("#run_seq",
            "IF OBJECT_ID('tempdb..#run_seq') IS NULL CREATE TABLE #run_seq (seq bigint PRIMARY KEY); DELETE FROM #run_seq;",
            "UPDATE r SET last_at = @last FROM connection_run r JOIN #run_seq c ON r.last_at = @from AND r.server_id = @serverId AND r.seq = c.seq"),
        StorageProvider.Postgres => ("run_seq",
            "CREATE TEMP TABLE IF NOT EXISTS run_seq (seq bigint PRIMARY KEY); DELETE FROM run_seq;",
            "UPDATE connection_run r SET last_at = @last FROM run_seq c WHERE r.last_at = @from AND r.server_id = @serverId AND r.seq = c.seq"),
        _ => ("temp.run_seq",
            "CREATE TEMP TABLE IF NOT EXISTS run_seq (seq INTEGER PRIMARY KEY); DELETE FROM temp.run_seq;",
            "UPDATE connection_run AS r SET last_at = @last FROM temp.run_seq AS c WHERE r.last_at = @from AND r.server_id = @serverId AND r.seq = c.seq"),
    };

    /// <summary>Deletes the server's runs of the UTC days in [<paramref name="fromKey"/>, <paramref name="toKey"/>), the open ones too when its latest snapshot is in them.</summary>
    public async Task DeleteAsync(DbConnection connection, DbTransaction tx, int serverId, long fromKey, long toKey, CancellationToken cancellationToken)
    {
        var args = new { fromKey, toKey, serverId };
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM connection_run WHERE last_at >= @fromKey AND last_at < @toKey AND server_id = @serverId", args, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE snapshot_server SET open_at = NULL, open_runs = NULL WHERE id = @serverId AND open_at >= @fromKey AND open_at < @toKey", args, tx, factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
    }
}
