using System.Runtime.InteropServices;

namespace ReportJob.Snapshots;

/// <summary>
/// Turns one server's snapshots, given in time order, into runs: a connection seen again in the next snapshot in the
/// same state (and with the same creation time) goes on in its run; one not seen again, or seen in another state, ends
/// its run at the snapshot before. A run also ends at a UTC midnight and where two snapshots are more than
/// <see cref="RunTime.ChainGap"/> apart. The first-seen time of a connection (its addresses and ports, in any state)
/// carries over from one snapshot to the next while they are at most <see cref="RunTime.ChainGap"/> apart, as it
/// always did. The store, the rebuild of a day and the migration of old stores all make runs here.
/// </summary>
internal sealed class RunBuilder(int serverId)
{
    private const long NoSnapshot = long.MinValue;

    private readonly Dictionary<ConnectionKey, OpenRun> _open = [];
    private long _lastKey = NoSnapshot;
    private long _lastTicks;

    public int ServerId => serverId;

    /// <summary>The key of the last snapshot added or resumed from; <see cref="long.MinValue"/> before any.</summary>
    public long LastKey => _lastKey;

    public long LastTicks => _lastTicks;

    public int OpenCount => _open.Count;

    /// <summary>The number the next run gets (the server's runs are numbered: snapshot_server.next_seq).</summary>
    public long NextSeq { get; set; } = 1;

    /// <summary>
    /// Goes on from a snapshot stored before (key and exact time) and the runs that cover it: they go on, or chain their
    /// first-seen time, into the snapshots added next. <paramref name="chainStartOf"/> gives a run's first-seen ticks.
    /// </summary>
    public void Resume(long key, long ticks, IEnumerable<ConnectionRun> covering, Func<ConnectionRun, long> chainStartOf)
    {
        _open.Clear();
        _lastKey = key;
        _lastTicks = ticks;
        foreach (var run in covering)
        {
            _open[run.Key] = new OpenRun(run.Seq, run.State, run.CreatedTicks, run.First, run.FirstSeenTicks, chainStartOf(run), key);
        }
    }

    /// <summary>
    /// Adds the next snapshot. Runs that end (at the snapshot before) go to <paramref name="closed"/>, complete; runs
    /// that start here go to <paramref name="opened"/>, open. A connection listed twice is kept twice, the second as the
    /// next copy of its key (<see cref="ConnectionKey.Copy"/>), as the old store and the routine's figures count it.
    /// </summary>
    public void Add(long key, long ticks, ReadOnlySpan<RunRow> rows, List<ConnectionRun> closed, List<ConnectionRun> opened)
    {
        Begin(key);
        foreach (ref readonly var row in rows)
        {
            Take(key, ticks, row, closed);
        }

        End(key, ticks, closed, opened);
    }

    /// <summary><see cref="Add(long, long, ReadOnlySpan{RunRow}, List{ConnectionRun}, List{ConnectionRun})"/> straight from a source's connections.</summary>
    public void Add(long key, long ticks, IReadOnlyList<TcpConnection> connections, List<ConnectionRun> closed, List<ConnectionRun> opened)
    {
        Begin(key);
        for (var i = 0; i < connections.Count; i++)
        {
            Take(key, ticks, RunRow.Of(connections[i]), closed);
        }

        End(key, ticks, closed, opened);
    }

    private void Begin(long key)
    {
        if (_lastKey != NoSnapshot && key <= _lastKey)
        {
            throw new ArgumentException($"Snapshots go in time order: {key} after {_lastKey}", nameof(key));
        }

    }

    private void Take(long key, long ticks, in RunRow row, List<ConnectionRun> closed)
    {
        var connection = row.Key;
        ref var run = ref CollectionsMarshal.GetValueRefOrAddDefault(_open, connection, out var exists);
        while (exists && (run.Seen == key || run.Seen == -key))
        {
            connection = connection.NextCopy();
            run = ref CollectionsMarshal.GetValueRefOrAddDefault(_open, connection, out exists);
        }

        var chains = _lastKey != NoSnapshot && ticks - _lastTicks <= RunTime.ChainGap.Ticks;
        if (exists && chains && RunTime.SameDay(_lastKey, key) && run.SameConnection(row))
        {
            run.Seen = key;
            return;
        }

        var chainStart = ticks;
        if (exists)
        {
            if (chains)
            {
                chainStart = run.ChainStart;
            }

            closed.Add(run.ToRun(serverId, connection, _lastKey));
        }

        // Marked new (Seen = -key) until End lists it: the opened runs are those, not a list kept per row.
        run = new OpenRun(NextSeq++, row.State, row.CreatedTicks, key, chainStart == ticks ? null : chainStart, chainStart, -key);
    }

    private void End(long key, long ticks, List<ConnectionRun> closed, List<ConnectionRun> opened)
    {
        foreach (var (k, run) in _open)
        {
            if (run.Seen == -key)
            {
                opened.Add(run.ToRun(serverId, k, RunTime.Open));
                CollectionsMarshal.GetValueRefOrNullRef(_open, k).Seen = key;
            }
            else if (run.Seen != key)
            {
                closed.Add(run.ToRun(serverId, k, _lastKey));
                _open.Remove(k);
            }
        }

        _lastKey = key;
        _lastTicks = ticks;
    }

    /// <summary>The runs still open, closed at the last snapshot added (when the server has snapshots after it) or open.</summary>
    public IEnumerable<ConnectionRun> Remaining(bool close) =>
        _open.Select(kv => kv.Value.ToRun(serverId, kv.Key, close ? _lastKey : RunTime.Open));

    // A mutable struct on purpose: updated in place in the dictionary for every connection of a snapshot. Times without
    // a value are long.MinValue, not nullable: the dictionary's entries are what a snapshot walks through.
    private struct OpenRun(long seq, TcpState state, long? created, long first, long? firstSeen, long chainStart, long seen)
    {
        private const long None = long.MinValue;

        public readonly long Seq = seq;
        public readonly long First = first;
        public readonly long ChainStart = chainStart;
        public readonly TcpState State = state;
        public long Seen = seen;
        private readonly long _created = created ?? None;
        private readonly long _firstSeen = firstSeen ?? None;

        public readonly long? Created => _created == None ? null : _created;

        public readonly bool SameConnection(in RunRow row) => State == row.State && (row.CreatedTicks ?? None) == _created;

        public readonly ConnectionRun ToRun(int serverId, ConnectionKey key, long last) =>
            new(serverId, Seq, First, last, key, State, Created, _firstSeen == None ? null : _firstSeen);
    }
}
