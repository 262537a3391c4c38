using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.Logging;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>
/// Writes snapshots, and their connections as runs (<see cref="RunBuilder"/>): a snapshot after every other of its server
/// extends the runs that go on, closes the others and opens new ones; one that comes after every other of its UTC day
/// but before later days' (an older file imported later) does the same within its day; one that falls between two
/// snapshots of its day has the day's runs of its server made again with it. So the order in which snapshots arrive
/// does not matter, and a snapshot stored before (its server and time, to the millisecond) is not stored again.
/// A run is written as a row once, when it ends; the runs open at a server's latest snapshot are kept with the server
/// (<see cref="OpenRuns"/>), and stay in memory between snapshots of the servers this process writes, as long as the
/// version number each write leaves on the server's row says nobody else wrote since.
/// </summary>
internal sealed class SnapshotStore
{
    private readonly IDbConnectionFactory _factory;
    private readonly ConnectionRunStore _runs;
    private readonly ILogger<SnapshotStore> _logger;
    private readonly ConcurrentDictionary<int, OpenState> _open = new();

    public SnapshotStore(IDbConnectionFactory factory, ConnectionRunStore runs, ILogger<SnapshotStore> logger)
    {
        _factory = factory;
        _runs = runs;
        _logger = logger;
    }

    public async Task<long> SaveAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        await using var connection = await _factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var id = await SaveAsync(connection, tx, snapshot, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Saves inside the caller's transaction (an import commits the file's snapshots and its ledger entry together).
    /// A snapshot of the same server stored before at the same time (to the millisecond) is an error: ask <see cref="ExistsAsync"/> first.
    /// </summary>
    public async Task<long> SaveAsync(DbConnection connection, DbTransaction tx, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var (serverId, version, nextSeq) = await _runs.LockServerAsync(connection, tx, snapshot.Server, cancellationToken);
        if (await ExistsAsync(connection, tx, snapshot.Server, snapshot.TakenAtUtc, cancellationToken))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"A snapshot of {snapshot.Server} taken {snapshot.TakenAtUtc:yyyy-MM-dd HH:mm:ss.fff}Z is stored already"));
        }

        var id = await InsertSnapshotAsync(connection, tx, snapshot.Server, snapshot.Source, snapshot.TakenAtUtc, "ok", null, snapshot.Connections.Count, snapshot.Duration, cancellationToken);
        var key = RunTime.Key(snapshot.TakenAtUtc);
        var newVersion = Random.Shared.NextInt64(1, long.MaxValue);
        var next = await _runs.NextSnapshotAsync(connection, tx, snapshot.Server, key + 1, cancellationToken);
        if (next is { } n && RunTime.Key(n) < RunTime.DayStart(key) + RunTime.MillisecondsPerDay)
        {
            _open.TryRemove(serverId, out _);
            var rows = snapshot.Connections.Select(c => RunRow.Of(c)).ToArray();
            nextSeq = await RebuildAsync(connection, tx, serverId, snapshot.Server, key, (key, snapshot.TakenAtUtc.Ticks, rows), nextSeq, cancellationToken);
        }
        else
        {
            nextSeq = await AppendAsync(connection, tx, serverId, version, newVersion, nextSeq, snapshot.Server, key, snapshot.TakenAtUtc.Ticks, snapshot.Connections, next, cancellationToken);
        }

        await _runs.SetVersionAsync(connection, tx, serverId, newVersion, nextSeq, cancellationToken);
        return id;
    }

    /// <summary>Whether an ok snapshot of <paramref name="server"/> taken at <paramref name="takenAtUtc"/> (to the millisecond) is stored.</summary>
    public async Task<bool> ExistsAsync(DbConnection connection, DbTransaction? tx, string server, DateTime takenAtUtc, CancellationToken cancellationToken)
    {
        var key = RunTime.Key(takenAtUtc);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM snapshot WHERE server = @server AND status = 'ok' AND taken_at >= @from AND taken_at < @to",
            new { server, from = RunTime.FromKey(key), to = RunTime.FromKey(key + 1) }, tx, _factory.CommandTimeoutSeconds, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>A snapshot that failed: a row without connections. It ends no run, and the report counts it as missed.</summary>
    public async Task<long> SaveFailureAsync(SnapshotFailure failure, CancellationToken cancellationToken)
    {
        await using var connection = await _factory.OpenAsync(cancellationToken);
        return await InsertSnapshotAsync(connection, null, failure.Server, failure.Source, failure.AttemptedAtUtc, "failed", failure.Error, 0, failure.Duration, cancellationToken);
    }

    /// <summary>IPv4-mapped IPv6 shown as IPv4, the form every source and report uses.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// The snapshot comes after every other of its server on its UTC day: the runs that cover the one before go on or
    /// end, new ones start. When it is the server's latest of all, new runs stay open and ended ones are closed; when
    /// later days have snapshots already, the runs are closed at this snapshot and the first-seen times of the next
    /// day are made again if that day's first snapshot chains to this one.
    /// </summary>
    /// <returns>The number the server's next run gets.</returns>
    private async Task<long> AppendAsync(DbConnection connection, DbTransaction tx, int serverId, long version, long newVersion, long nextSeq, string server, long key, long ticks, IReadOnlyList<TcpConnection> connections, DateTime? next, CancellationToken cancellationToken)
    {
        var latest = next is null;
        var state = latest && _open.TryRemove(serverId, out var cached) && cached.Version == version
            ? cached
            : new OpenState(await ResumeAsync(connection, tx, serverId, server, key, cancellationToken));
        var builder = state.Builder;
        builder.NextSeq = nextSeq;
        var previous = builder.LastKey;
        var closed = state.Closed;
        var opened = state.Opened;
        closed.Clear();
        opened.Clear();
        builder.Add(key, ticks, connections, closed, opened);
        if (latest)
        {
            // The runs that ended (at the previous snapshot) become rows, in the order of the key (an append); the open
            // ones are kept with the server.
            closed.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
            await _runs.InsertAsync(connection, tx, closed, cancellationToken);
            var length = OpenRuns.Encode(builder.Remaining(close: false), builder.OpenCount, key, ref state.Encoded);
            await _runs.SetOpenAsync(connection, tx, serverId, key, state.Encoded, length, cancellationToken);
            state.Version = newVersion;
            _open[serverId] = state;
            return builder.NextSeq;
        }

        // Later days have snapshots: the runs of this day end here. Those that ended before are closed in the store
        // already; those that go on are extended to this snapshot.
        var goingOn = builder.Remaining(close: true).Where(r => r.First < key).ToList();
        await _runs.MoveLastAsync(connection, tx, serverId, goingOn, previous, key, cancellationToken);
        await _runs.InsertAsync(connection, tx, opened.Select(r => r with { Last = key }), cancellationToken);
        if (next is { } n && n.Ticks - ticks <= RunTime.ChainGap.Ticks)
        {
            return await RebuildAsync(connection, tx, serverId, server, RunTime.Key(n), null, builder.NextSeq, cancellationToken);
        }

        return builder.NextSeq;
    }

    /// <summary>A builder that goes on from the server's ok snapshot before <paramref name="key"/> and the runs that cover it.</summary>
    private async Task<RunBuilder> ResumeAsync(DbConnection connection, DbTransaction tx, int serverId, string server, long key, CancellationToken cancellationToken)
    {
        var builder = new RunBuilder(serverId);
        if (await _runs.PreviousSnapshotAsync(connection, tx, server, key, cancellationToken) is { } previous)
        {
            var (covering, chainStart) = await CoveringAsync(connection, tx, serverId, server, RunTime.Key(previous), cancellationToken);
            builder.Resume(RunTime.Key(previous), previous.Ticks, covering, chainStart);
        }

        return builder;
    }

    /// <summary>The server's runs that cover its snapshot <paramref name="key"/>, and how to tell each one's first-seen ticks.</summary>
    private async Task<(List<ConnectionRun> Runs, Func<ConnectionRun, long> ChainStart)> CoveringAsync(DbConnection connection, DbTransaction tx, int serverId, string server, long key, CancellationToken cancellationToken)
    {
        var day = RunTime.DayStart(key);
        var runs = (await _runs.RunsAsync(connection, tx, serverId, day, day + RunTime.MillisecondsPerDay, cancellationToken)).Where(r => r.First <= key && r.Last >= key).ToList();
        var times = (await _runs.SnapshotTimesAsync(connection, tx, server, day, key + 1, cancellationToken)).ToDictionary(t => RunTime.Key(t), t => t.Ticks);
        return (runs, r => r.FirstSeenTicks ?? (times.TryGetValue(r.First, out var t) ? t : RunTime.FromKey(r.First).Ticks));
    }

    /// <summary>
    /// Makes the server's runs of one UTC day again from its snapshots, with <paramref name="inserted"/> (a snapshot
    /// just stored, not in any run yet) among them; then the next day's, while its first snapshot chains to this day's
    /// last and its runs come out different.
    /// </summary>
    /// <returns>The number the server's next run gets.</returns>
    private async Task<long> RebuildAsync(DbConnection connection, DbTransaction tx, int serverId, string server, long key, (long Key, long Ticks, RunRow[] Rows)? inserted, long nextSeq, CancellationToken cancellationToken)
    {
        while (true)
        {
            var day = RunTime.DayStart(key);
            var end = day + RunTime.MillisecondsPerDay;
            var times = await _runs.SnapshotTimesAsync(connection, tx, server, day, end, cancellationToken);
            var existing = await _runs.RunsAsync(connection, tx, serverId, day, end, cancellationToken);
            var builder = new RunBuilder(serverId);
            if (await _runs.PreviousSnapshotAsync(connection, tx, server, day, cancellationToken) is { } previous && times[0].Ticks - previous.Ticks <= RunTime.ChainGap.Ticks)
            {
                var (covering, chainStart) = await CoveringAsync(connection, tx, serverId, server, RunTime.Key(previous), cancellationToken);
                builder.Resume(RunTime.Key(previous), previous.Ticks, covering, chainStart);
            }

            builder.NextSeq = nextSeq;

            var made = new List<ConnectionRun>();
            var opened = new List<ConnectionRun>();
            var sweep = new RunSweep(existing);
            var rows = new List<RunRow>();
            foreach (var time in times)
            {
                var k = RunTime.Key(time);
                rows.Clear();
                var covering = sweep.Covering(k);
                if (inserted is { } x && x.Key == k)
                {
                    // Runs around the new snapshot span it, but it was not in them: its rows are its own.
                    rows.AddRange(x.Rows);
                }
                else
                {
                    foreach (var run in covering)
                    {
                        rows.Add(new RunRow(run.Key, run.State, run.CreatedTicks));
                    }
                }

                builder.Add(k, time.Ticks, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), made, opened);
            }

            var next = await _runs.NextSnapshotAsync(connection, tx, server, end, cancellationToken);
            // Runs of the day before (the chain's start) end in the first snapshot of this one: they are not this day's.
            made.RemoveAll(r => r.First < day);
            made.AddRange(builder.Remaining(close: next is not null));
            // The runs' numbers are new; what they hold is what counts.
            var unchanged = inserted is null && made.Count == existing.Count && made.Select(r => r with { Seq = 0 }).ToHashSet().SetEquals(existing.Select(r => r with { Seq = 0 }));
            if (!unchanged)
            {
                await _runs.DeleteAsync(connection, tx, serverId, day, end, cancellationToken);
                await _runs.InsertAsync(connection, tx, made.Where(r => !r.IsOpen), cancellationToken);
                if (next is null)
                {
                    await _runs.SetOpenAsync(connection, tx, serverId, RunTime.Key(times[^1]), made.Where(r => r.IsOpen).ToList(), cancellationToken);
                }

                Log.RunsRebuilt(_logger, server, RunTime.FromKey(day), existing.Count, made.Count);
                nextSeq = builder.NextSeq;
            }

            if (unchanged || next is not { } n || n.Ticks - times[^1].Ticks > RunTime.ChainGap.Ticks)
            {
                return nextSeq;
            }

            key = RunTime.Key(n);
            inserted = null;
        }
    }

    private async Task<long> InsertSnapshotAsync(DbConnection connection, DbTransaction? tx, string server, string source, DateTime takenAt, string status, string? error, int count, TimeSpan duration, CancellationToken cancellationToken)
    {
        var returning = _factory.Provider == StorageProvider.SqlServer
            ? "OUTPUT INSERTED.id VALUES (@server, @source, @takenAt, @status, @error, @count, @ms)"
            : "VALUES (@server, @source, @takenAt, @status, @error, @count, @ms) RETURNING id";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"INSERT INTO snapshot (server, source, taken_at, status, error, connection_count, duration_ms) {returning}",
            new { server, source, takenAt = DbTime.Utc(takenAt), status, error, count, ms = (long)duration.TotalMilliseconds },
            tx, cancellationToken: cancellationToken));
    }

    /// <summary>A server's open runs held between snapshots, the version written with them, and buffers reused snapshot to snapshot.</summary>
    private sealed class OpenState(RunBuilder builder)
    {
        // A field: encoding grows it by reference.
        public byte[]? Encoded;

        public RunBuilder Builder { get; } = builder;

        public long Version { get; set; }

        public List<ConnectionRun> Closed { get; } = [];

        public List<ConnectionRun> Opened { get; } = [];
    }
}
