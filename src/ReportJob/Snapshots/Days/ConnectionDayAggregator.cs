using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;
using ReportJob.Reports;
using ReportJob.Reports.Model;
using ReportJob.Sites;

namespace ReportJob.Snapshots;

/// <summary>
/// Builds the connection sections of a day from its snapshots and the runs that cover them, never from one row per
/// connection per snapshot: a run adds its length to the totals it touches, and the figures that need each round's
/// count (a client's peak, the rounds it was seen in) come from one sweep over the rounds, in which only the runs that
/// start or end there do any work. Memory grows with runs, clients and rounds. The ok snapshots come first
/// (<see cref="Begin"/>), in the order they were taken; their rounds are <see cref="ConnectionRound.Assign"/>'s. Runs
/// hold no text: whoever reads them turns a client address, a state or a local address into an index here once
/// (<see cref="ClientIndex"/>, <see cref="StateIndex"/>, <see cref="LocalIndex"/>).
/// </summary>
public sealed class ConnectionDayAggregator
{
    private static readonly long[] DistributionEdges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private const int MaxStates = 32;

    private readonly TimeZoneInfo _zone;
    private readonly ReportOptions _options;

    // Servers as shown (names compared ignoring case) and the streams of snapshots behind them (a server as stored).
    private readonly List<string> _servers = [];
    private readonly Dictionary<string, int> _serverIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Stream> _streams = [];
    private readonly Dictionary<string, int> _streamIndex = new(StringComparer.Ordinal);
    private readonly List<long[]> _serverStateTotals = [];
    private readonly List<int> _okSnapshotsPerServer = [];

    // Rounds: their time (the minute of their first snapshot) and the snapshots in them, in the order taken.
    private readonly List<DateTime> _rounds = [];
    private readonly List<List<(int Stream, int Index)>> _roundMembers = [];
    private readonly List<(int Stream, int Index)> _feed = [];
    private readonly Dictionary<int, int> _roundsPerHour = [];

    // States are few: each gets a small index, and the per-state counters are arrays indexed by its slot.
    private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);
    private readonly List<string> _stateTexts = [];
    private int[] _stateSlots = new int[MaxStates];
    private readonly List<string> _stateNames = [];
    private readonly long[][] _hourStateTotals = Enumerable.Range(0, 24).Select(_ => new long[MaxStates]).ToArray();
    private readonly long[] _stateTotals = new long[MaxStates];

    // Clients and local addresses get an index when first seen; runs carry it.
    private readonly Dictionary<string, int> _clientIndex = new(StringComparer.Ordinal);
    private readonly List<string> _clientNames = [];
    private ClientAccumulator[] _clients = new ClientAccumulator[1024];
    private readonly Dictionary<string, int> _localIndex = new(StringComparer.Ordinal);
    private readonly List<string> _localNames = [];

    private readonly long[] _portBuckets = new long[64];
    private readonly Dictionary<(int Server, long MinuteTicks), BurstCounts> _created = [];

    private bool _built;

    public ConnectionDayAggregator(TimeZoneInfo zone, ReportOptions options)
    {
        _zone = zone;
        _options = options;
    }

    /// <summary>Connection-rounds: a run counts once per snapshot it covers.</summary>
    public long Rows { get; private set; }

    /// <summary>The figures of the day's rounds that <see cref="Build"/> found, for the daily roll-up.</summary>
    public ConnectionDayFigures? Figures { get; private set; }

    public IReadOnlyList<string> Servers => _servers;

    /// <summary>
    /// The day's ok snapshots, in the order they were taken (then by server): their server as stored, and their exact
    /// time. Call once, before any run.
    /// </summary>
    public void Begin(IReadOnlyList<(string Server, DateTime TakenAtUtc)> snapshots)
    {
        if (_feed.Count > 0)
        {
            throw new InvalidOperationException("Begin once");
        }

        var rounds = ConnectionRound.Assign(snapshots);
        var lists = new List<(List<long> Keys, List<long> Ticks, List<int> Rounds, List<int> Feed)>();
        for (var i = 0; i < snapshots.Count; i++)
        {
            var (server, taken) = snapshots[i];
            if (rounds[i] == _rounds.Count)
            {
                var minute = new DateTime(taken.Ticks - (taken.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
                _rounds.Add(minute);
                _roundMembers.Add([]);
                var hour = Local(minute).Hour;
                _roundsPerHour[hour] = _roundsPerHour.GetValueOrDefault(hour) + 1;
            }

            if (!_streamIndex.TryGetValue(server, out var stream))
            {
                stream = _streams.Count;
                _streamIndex[server] = stream;
                _streams.Add(new Stream(ServerIndex(ReportText.Clean(server))));
                lists.Add(([], [], [], []));
            }

            var s = _streams[stream];
            _okSnapshotsPerServer[s.Server]++;
            var index = lists[stream].Keys.Count;
            lists[stream].Keys.Add(RunTime.Key(taken));
            lists[stream].Ticks.Add(taken.Ticks);
            lists[stream].Rounds.Add(rounds[i]);
            lists[stream].Feed.Add(_feed.Count);
            _roundMembers[rounds[i]].Add((stream, index));
            _feed.Add((stream, index));
        }

        for (var i = 0; i < _streams.Count; i++)
        {
            _streams[i].Set([.. lists[i].Keys], [.. lists[i].Ticks], [.. lists[i].Rounds], [.. lists[i].Feed], _rounds.Select(r => Local(r).Hour).ToArray());
        }
    }

    /// <summary>The stream of a server as stored, or -1 when it has no ok snapshot in the day.</summary>
    public int StreamOf(string server) => _streamIndex.GetValueOrDefault(server, -1);

    /// <summary>
    /// Whether a run of the stream from key <paramref name="firstKey"/> to <paramref name="lastKey"/> covers any of the
    /// day's snapshots, and which (<paramref name="first"/> to <paramref name="last"/>, indexes in the stream): ask before
    /// giving out indexes for its text, so that a client, state or address is known only from runs that count.
    /// </summary>
    public bool Covers(int stream, long firstKey, long lastKey, out int first, out int last)
    {
        (first, last) = _streams[stream].Cover(firstKey, lastKey);
        return first <= last;
    }

    /// <summary>Adds runs that <see cref="Covers"/> said count, with the snapshots it said they cover.</summary>
    public void Add(ReadOnlySpan<DayRun> runs)
    {
        var threshold = _options.LongLivedThreshold.Ticks;
        foreach (ref readonly var run in runs)
        {
            var stream = _streams[run.Stream];
            var (i0, i1) = (run.First, run.Last);
            if (i0 > i1 || i1 >= stream.Keys.Length)
            {
                throw new ArgumentException("A run that covers none of the day's snapshots", nameof(runs));
            }

            var server = stream.Server;
            var length = i1 - i0 + 1;
            Rows += length;
            var slot = _stateSlots[run.State];
            _serverStateTotals[server][slot] += length;
            _stateTotals[slot] += length;
            stream.AddHours(_hourStateTotals, slot, i0, i1);

            ref var client = ref _clients[run.Client];
            client.Sum += length;
            client.FirstRound = Math.Min(client.FirstRound, stream.Rounds[i0]);
            client.LastRound = Math.Max(client.LastRound, stream.Rounds[i1]);
            client.AddServer(server);
            _portBuckets[(run.RemotePort >> 10) & 63] += length;
            stream.Count[i0]++;
            stream.Count[i1 + 1]--;
            stream.Starts(i0).Add(run.Client);
            stream.Ends(i1).Add(run.Client);

            var anchor = run.HasCreationTime ? run.CreatedAtTicks : run.FirstSeenTicks;
            if (stream.Ticks[i1] - anchor >= threshold)
            {
                stream.Candidates.Add(new Candidate(anchor, run.Client, run.RemotePort, run.LocalPort, run.Local, run.State, run.HasCreationTime, i0, i1));
            }

            if (run.HasCreationTime)
            {
                AddCreated(run, stream, i0, i1);
            }
        }
    }

    /// <summary>The index of a client address, given out when first seen.</summary>
    public int ClientIndex(string address)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_clientIndex, address, out var exists);
        if (!exists)
        {
            index = _clientNames.Count;
            _clientNames.Add(address);
            if (index == _clients.Length)
            {
                Array.Resize(ref _clients, _clients.Length * 2);
            }

            _clients[index] = new ClientAccumulator();
        }

        return index;
    }

    /// <summary>The index of a local (server) address, given out when first seen.</summary>
    public int LocalIndex(string address)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_localIndex, address, out var exists);
        if (!exists)
        {
            index = _localNames.Count;
            _localNames.Add(address);
        }

        return index;
    }

    /// <summary>The index of a connection state, given out when first seen.</summary>
    public int StateIndex(string state)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_stateIndex, state, out var exists);
        if (!exists)
        {
            index = _stateTexts.Count;
            _stateTexts.Add(state);
            if (index == _stateSlots.Length)
            {
                Array.Resize(ref _stateSlots, _stateSlots.Length * 2);
            }

            // More distinct states than slots: their counts fold into the last slot (a long-lived connection still
            // shows its own state). TCP has fewer.
            _stateSlots[index] = Math.Min(_stateNames.Count, MaxStates - 1);
            if (_stateSlots[index] == _stateNames.Count)
            {
                _stateNames.Add(state);
            }
        }

        return index;
    }

    public ConnectionSection Build(SiteMap sites, Func<string, string?> dnsName, Func<string, (IReadOnlyList<string> Protocols, IReadOnlyList<string> Agents, IReadOnlyList<string> Users)>? iis = null)
    {
        if (_built)
        {
            throw new InvalidOperationException("Build once");
        }

        _built = true;
        var sitesOfClients = _clientNames.Select(name => ReportText.Clean(sites.Lookup(IPAddress.TryParse(name, out var a) ? a : IPAddress.None))).ToArray();
        var perServerRound = PerServerRound();
        Sweep(sitesOfClients, out var siteFigures);
        var balance = Balance(perServerRound);
        var totals = perServerRound.Select(r => r.Values.Sum()).ToArray();
        Figures = new ConnectionDayFigures(
            _rounds.Count,
            totals.Length == 0 ? 0 : totals.Max(),
            totals.Sum(),
            _servers.Select((name, i) => new ServerDayFigures(name, perServerRound.Count(r => r.ContainsKey(i)), balance[i].PeakConnections,
                perServerRound.Sum(r => r.GetValueOrDefault(i)), balance[i].MaxDeviation, balance[i].RoundsFlagged)).ToList(),
            Enumerable.Range(0, _clientNames.Count).Select(i => new ClientDayFigures(_clientNames[i], _clients[i].PresentRounds, _clients[i].Peak, _clients[i].Sum)).ToList(),
            siteFigures);
        if (_rounds.Count == 0 || (Rows == 0 && _clientNames.Count == 0))
        {
            return Empty(_options.ImbalanceThreshold);
        }

        var order = Enumerable.Range(0, _stateNames.Count).OrderByDescending(i => _stateTotals[i]).ThenBy(i => _stateNames[i], StringComparer.Ordinal).ToList();
        var states = order.Select(i => _stateNames[i]).ToList();
        var statesPerServer = _servers.Select((name, server) => new ServerStates(name, order.ToDictionary(
            i => _stateNames[i], i => (double)_serverStateTotals[server][i] / Math.Max(1, _okSnapshotsPerServer[server])))).ToList();
        var statesPerHour = Enumerable.Range(0, 24).Where(_roundsPerHour.ContainsKey).Select(h => new HourStates(h, order.ToDictionary(
            i => _stateNames[i], i => (double)_hourStateTotals[h][i] / _roundsPerHour[h]))).ToList();

        var perServer = _servers.Select((name, i) => new ServerSeries(name,
            perServerRound.Select(r => r.TryGetValue(i, out var c) ? c : double.NaN).ToList())).ToList();

        var clients = _clients.AsSpan(0, _clientNames.Count).ToArray();
        var clientPeaks = clients.Select(c => c.Peak).Order().ToArray();
        var top = Enumerable.Range(0, clients.Length)
            .OrderByDescending(i => clients[i].Peak).ThenByDescending(i => clients[i].Sum).ThenBy(i => _clientNames[i], StringComparer.Ordinal)
            .Take(_options.TopClients)
            .Select(i =>
            {
                var name = _clientNames[i];
                var c = clients[i];
                var facts = iis?.Invoke(name) ?? ([], [], []);
                return new TopClientRow(name, dnsName(name), sitesOfClients[i], c.Peak, (double)c.Sum / _rounds.Count,
                    c.ServerCount, Local(_rounds[c.FirstRound]), Local(_rounds[c.LastRound]), facts.Protocols, facts.Agents, facts.Users);
            }).ToList();

        var longLived = LongLived().OrderByDescending(kv => kv.Value.AgeTicks).ThenBy(kv => _clientNames[kv.Key.Client], StringComparer.Ordinal).Take(_options.TopLongLived)
            .Select(kv => new LongLivedConnection(_servers[kv.Key.Server], _clientNames[kv.Key.Client], kv.Key.Port, _stateTexts[kv.Value.State],
                TimeSpan.FromTicks(kv.Value.AgeTicks), kv.Value.FromCreation)).ToList();

        var bursts = _created.Where(kv => kv.Value.Total >= _options.BurstThreshold)
            .Select(kv =>
            {
                var topClient = kv.Value.PerClient().OrderByDescending(c => c.Value).ThenBy(c => _clientNames[c.Key], StringComparer.Ordinal).First();
                return (Burst: new BurstMinute(Local(new DateTime(kv.Key.MinuteTicks, DateTimeKind.Utc)), _servers[kv.Key.Server], kv.Value.Total,
                    _clientNames[topClient.Key], topClient.Value), kv.Value.FirstSeen);
            })
            // Minutes of two servers with as many creations: in the order their first one was seen, as when rows came one by one.
            .OrderByDescending(b => b.Burst.Created).ThenBy(b => b.Burst.MinuteLocal).ThenBy(b => b.FirstSeen).Select(b => b.Burst).Take(_options.TopBursts).ToList();

        var createdPerMinute = _created.GroupBy(kv => kv.Key.MinuteTicks).OrderBy(g => g.Key)
            .Select(g => new CreatedMinute(Local(new DateTime(g.Key, DateTimeKind.Utc)), g.Sum(kv => kv.Value.Total)))
            .ToList();

        var sitesSummary = Enumerable.Range(0, clients.Length).GroupBy(i => sitesOfClients[i])
            .Select(g => new SiteSummary(g.Key, g.Count(), g.Average(i => (double)clients[i].Peak), g.Max(i => clients[i].Peak), 0, 0))
            .OrderByDescending(s => s.Clients).ThenBy(s => s.Site, StringComparer.Ordinal).ToList();

        return new ConnectionSection(
            true, _servers.ToList(), states, statesPerServer, statesPerHour,
            _rounds.Select(Local).ToList(), perServer, balance, _options.ImbalanceThreshold,
            Distribution(clientPeaks), new Percentiles(Percentile(clientPeaks, 0.50), Percentile(clientPeaks, 0.90), Percentile(clientPeaks, 0.99), clientPeaks.Length == 0 ? 0 : clientPeaks[^1]),
            top, longLived, createdPerMinute, bursts, PortBuckets(), PortGaps(), sitesSummary);
    }

    public static ConnectionSection Empty(double threshold) =>
        new(false, [], [], [], [], [], [], [], threshold, [], new Percentiles(0, 0, 0, 0), [], [], [], [], [], [], []);

    private int ServerIndex(string server)
    {
        if (!_serverIndex.TryGetValue(server, out var i))
        {
            i = _servers.Count;
            _servers.Add(server);
            _serverIndex[server] = i;
            _serverStateTotals.Add(new long[MaxStates]);
            _okSnapshotsPerServer.Add(0);
        }

        return i;
    }

    /// <summary>Each round's connections per server (servers without a snapshot in the round are not in it).</summary>
    private List<Dictionary<int, long>> PerServerRound()
    {
        var rounds = _rounds.Select(_ => new Dictionary<int, long>()).ToList();
        foreach (var stream in _streams)
        {
            long count = 0;
            for (var i = 0; i < stream.Keys.Length; i++)
            {
                count += stream.Count[i];
                ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(rounds[stream.Rounds[i]], stream.Server, out _);
                c += count;
            }
        }

        return rounds;
    }

    /// <summary>
    /// Goes through the rounds once, keeping each client's and site's connections in the current round: a client's
    /// count changes where its runs start or end, and where a server misses a round or comes back (its connections
    /// do not count in a round it has no snapshot in). Peaks and rounds present come from it.
    /// </summary>
    private void Sweep(string[] sitesOfClients, out List<SiteDayFigures> siteFigures)
    {
        var clientCount = _clientNames.Count;
        var siteNames = sitesOfClients.Distinct(StringComparer.Ordinal).ToList();
        var siteIndex = siteNames.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var siteOf = sitesOfClients.Select(s => siteIndex[s]).ToArray();
        var value = new long[clientCount];
        var since = new int[clientCount];
        var siteValue = new long[siteNames.Count];
        var sitePeak = new long[siteNames.Count];
        var siteSince = new int[siteNames.Count];
        var sitePresent = new int[siteNames.Count];
        var perStream = _streams.Select(_ => new int[clientCount]).ToArray();
        var present = new bool[_streams.Count];
        var now = new bool[_streams.Count];
        var touched = new List<int>();
        var round = 0;

        void Change(int client, long delta)
        {
            var site = siteOf[client];
            if (value[client] == 0)
            {
                since[client] = round;
            }

            if (siteValue[site] == 0)
            {
                siteSince[site] = round;
            }

            value[client] += delta;
            siteValue[site] += delta;
            if (delta > 0)
            {
                touched.Add(client);
            }

            if (value[client] == 0)
            {
                _clients[client].PresentRounds += round - since[client];
            }

            if (siteValue[site] == 0)
            {
                sitePresent[site] += round - siteSince[site];
            }
        }

        for (round = 0; round < _rounds.Count; round++)
        {
            Array.Clear(now);
            foreach (var (stream, _) in _roundMembers[round])
            {
                now[stream] = true;
            }

            for (var s = 0; s < _streams.Count; s++)
            {
                if (present[s] == now[s])
                {
                    continue;
                }

                var counts = perStream[s];
                for (var c = 0; c < clientCount; c++)
                {
                    if (counts[c] != 0)
                    {
                        Change(c, now[s] ? counts[c] : -counts[c]);
                    }
                }

                present[s] = now[s];
            }

            foreach (var (s, i) in _roundMembers[round])
            {
                var stream = _streams[s];
                var counts = perStream[s];
                if (i > 0 && stream.EndsAt(i - 1) is { } ends)
                {
                    foreach (var c in ends)
                    {
                        counts[c]--;
                        Change(c, -1);
                    }
                }

                if (stream.StartsAt(i) is { } starts)
                {
                    foreach (var c in starts)
                    {
                        counts[c]++;
                        Change(c, 1);
                    }
                }
            }

            foreach (var c in touched)
            {
                ref var client = ref _clients[c];
                client.Peak = Math.Max(client.Peak, value[c]);
                sitePeak[siteOf[c]] = Math.Max(sitePeak[siteOf[c]], siteValue[siteOf[c]]);
            }

            touched.Clear();
        }

        for (var c = 0; c < clientCount; c++)
        {
            if (value[c] != 0)
            {
                _clients[c].PresentRounds += round - since[c];
            }
        }

        var clientsPerSite = new int[siteNames.Count];
        var totalPerSite = new long[siteNames.Count];
        for (var c = 0; c < clientCount; c++)
        {
            clientsPerSite[siteOf[c]]++;
            totalPerSite[siteOf[c]] += _clients[c].Sum;
        }

        siteFigures = siteNames.Select((name, s) => new SiteDayFigures(name, clientsPerSite[s],
            sitePresent[s] + (siteValue[s] != 0 ? round - siteSince[s] : 0), sitePeak[s], totalPerSite[s])).ToList();
    }

    /// <summary>
    /// The long-lived connections, as a row-by-row pass found them: the snapshots in the order taken, in each the rows
    /// by age (oldest first, then client, ports and local address), each row at least LongLivedThreshold old
    /// recording its age under (server, client, client port); the list is cut to the oldest TopLongLived whenever it
    /// grows to four times that, and nothing younger than the youngest kept enters it after. Ages only grow along a
    /// run and rows come oldest first, so each snapshot needs only its runs old enough, which lead its list.
    /// </summary>
    private Dictionary<(int Server, int Client, int Port), (int State, long AgeTicks, bool FromCreation)> LongLived()
    {
        var threshold = _options.LongLivedThreshold.Ticks;
        var tracked = new Dictionary<(int Server, int Client, int Port), (int State, long AgeTicks, bool FromCreation)>();
        long floor = 0;
        // Names ranked once (ordinal), so that the candidates sort by numbers.
        var clientRank = Ranks(_clientNames);
        var localRank = Ranks(_localNames);
        var lists = _streams.Select(s =>
        {
            var items = s.Candidates.ToArray();
            Array.Sort(items, (a, b) =>
            {
                var c = a.Anchor.CompareTo(b.Anchor);
                if (c == 0) c = clientRank[a.Client].CompareTo(clientRank[b.Client]);
                if (c == 0) c = a.RemotePort.CompareTo(b.RemotePort);
                if (c == 0) c = a.LocalPort.CompareTo(b.LocalPort);
                if (c == 0) c = localRank[a.Local].CompareTo(localRank[b.Local]);
                return c;
            });
            return new CandidateList(items);
        }).ToArray();
        foreach (var (s, i) in _feed)
        {
            var stream = _streams[s];
            var taken = stream.Ticks[i];
            var list = lists[s];
            for (var node = list.Head; node >= 0;)
            {
                ref readonly var c = ref list.Items[node];
                var age = taken - c.Anchor;
                if (age < threshold || age < floor)
                {
                    break;
                }

                var next = list.Next[node];
                if (c.Last < i)
                {
                    list.Remove(node);
                }
                else if (c.First <= i)
                {
                    tracked[(stream.Server, c.Client, c.RemotePort)] = (c.State, age, c.FromCreation);
                    if (tracked.Count >= Math.Max(4 * _options.TopLongLived, 64))
                    {
                        var keep = tracked.OrderByDescending(kv => kv.Value.AgeTicks).Take(_options.TopLongLived).ToList();
                        floor = keep[^1].Value.AgeTicks;
                        tracked.Clear();
                        foreach (var kv in keep)
                        {
                            tracked[kv.Key] = kv.Value;
                        }
                    }
                }

                node = next;
            }
        }

        return tracked;
    }

    /// <summary>Each name's place among the names in ordinal order.</summary>
    private static int[] Ranks(List<string> names)
    {
        var order = Enumerable.Range(0, names.Count).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(names[a], names[b]));
        var ranks = new int[names.Count];
        for (var i = 0; i < order.Length; i++)
        {
            ranks[order[i]] = i;
        }

        return ranks;
    }

    /// <summary>
    /// A connection counts as created in the minute of its creation time, on its server, in the first snapshot taken at
    /// or after it, if that snapshot is the first after the one before (or within ExpectedSnapshotInterval for the
    /// day's first) and the run covers it: so once, however many snapshots the connection stays in.
    /// </summary>
    private void AddCreated(in DayRun run, Stream stream, int i0, int i1)
    {
        var at = Array.BinarySearch(stream.Ticks, run.CreatedAtTicks);
        var i = at >= 0 ? at : ~at;
        if (i < i0 || i > i1)
        {
            return;
        }

        var after = i > 0 ? stream.Ticks[i - 1] : stream.Ticks[0] - _options.ExpectedSnapshotInterval.Ticks;
        if (run.CreatedAtTicks <= after)
        {
            return;
        }

        var minute = run.CreatedAtTicks - (run.CreatedAtTicks % TimeSpan.TicksPerMinute);
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_created, (stream.Server, minute), out var exists);
        if (!exists)
        {
            counts = new BurstCounts();
        }

        counts!.Add(run.Client, stream.FeedPositions[i]);
    }

    private List<ServerShare> Balance(List<Dictionary<int, long>> perServerRound)
    {
        var n = _servers.Count;
        var sums = new double[n];
        var peaks = new long[n];
        var maxDev = new double[n];
        var flagged = new int[n];
        var rounds = new int[n];
        foreach (var round in perServerRound)
        {
            // Only rounds where every server answered say anything about the balance.
            var total = round.Values.Sum();
            var complete = round.Count == n && total > 0;
            foreach (var (server, count) in round)
            {
                sums[server] += count;
                rounds[server]++;
                peaks[server] = Math.Max(peaks[server], count);
                if (complete && n > 1)
                {
                    var deviation = (count - ((double)total / n)) / ((double)total / n);
                    if (Math.Abs(deviation) > Math.Abs(maxDev[server]))
                    {
                        maxDev[server] = deviation;
                    }

                    if (Math.Abs(deviation) > _options.ImbalanceThreshold)
                    {
                        flagged[server]++;
                    }
                }
            }
        }

        var all = sums.Sum();
        return Enumerable.Range(0, n).Select(i => new ServerShare(_servers[i], rounds[i] == 0 ? 0 : sums[i] / rounds[i], peaks[i], all == 0 ? 0 : sums[i] / all, maxDev[i], flagged[i])).ToList();
    }

    private static List<HistogramBucket> Distribution(long[] sortedPeaks)
    {
        var buckets = new List<HistogramBucket>();
        long low = 1;
        foreach (var high in DistributionEdges.Append(long.MaxValue))
        {
            var count = sortedPeaks.LongCount(p => p >= low && p <= high);
            var label = high == long.MaxValue ? $">{low - 1}" : low == high ? low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{low}–{high}";
            buckets.Add(new HistogramBucket(label, low, high, count));
            if (high == long.MaxValue)
            {
                break;
            }

            low = high + 1;
        }

        return buckets;
    }

    private static double Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        // Nearest-rank: the smallest value with at least p of the clients at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private List<HistogramBucket> PortBuckets() =>
        Enumerable.Range(0, 64).Select(i => new HistogramBucket((i * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), i * 1024, (i * 1024) + 1023, _portBuckets[i])).ToList();

    /// <summary>Empty 1024-port ranges between used ones: a firewall, NAT pool or port exhaustion leaves them.</summary>
    private List<string> PortGaps()
    {
        var used = Enumerable.Range(0, 64).Where(i => _portBuckets[i] > 0).ToArray();
        if (used.Length < 2)
        {
            return [];
        }

        var gaps = new List<string>();
        for (var i = used[0]; i <= used[^1]; i++)
        {
            if (_portBuckets[i] != 0)
            {
                continue;
            }

            var start = i;
            while (i + 1 <= used[^1] && _portBuckets[i + 1] == 0)
            {
                i++;
            }

            gaps.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{start * 1024}–{(i * 1024) + 1023}"));
        }

        return gaps;
    }

    private DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    /// <summary>One server's snapshots of the day as stored, with what the runs add up per snapshot.</summary>
    private sealed class Stream(int server)
    {
        private List<int>?[] _starts = [];
        private List<int>?[] _ends = [];
        private (int Start, int Hour)[] _hourSegments = [];
        private int[] _segmentOf = [];

        public int Server { get; } = server;

        public long[] Keys { get; private set; } = [];

        public long[] Ticks { get; private set; } = [];

        public int[] Rounds { get; private set; } = [];

        /// <summary>Runs starting at a snapshot minus runs ending at the one before: summed, each snapshot's connections.</summary>
        public long[] Count { get; private set; } = [];

        public List<Candidate> Candidates { get; } = [];

        public void Set(long[] keys, long[] ticks, int[] rounds, int[] feedPositions, int[] hourOfRound)
        {
            Keys = keys;
            Ticks = ticks;
            Rounds = rounds;
            FeedPositions = feedPositions;
            Count = new long[keys.Length + 1];
            _starts = new List<int>?[keys.Length];
            _ends = new List<int>?[keys.Length];
            var segments = new List<(int, int)>();
            for (var i = 0; i < rounds.Length; i++)
            {
                var hour = hourOfRound[rounds[i]];
                if (segments.Count == 0 || segments[^1].Item2 != hour)
                {
                    segments.Add((i, hour));
                }
            }

            _hourSegments = [.. segments];
            _segmentOf = new int[keys.Length];
            for (var s = 0; s < _hourSegments.Length; s++)
            {
                var end = s + 1 < _hourSegments.Length ? _hourSegments[s + 1].Start : keys.Length;
                Array.Fill(_segmentOf, s, _hourSegments[s].Start, end - _hourSegments[s].Start);
            }
        }

        public List<int> Starts(int index) => _starts[index] ??= [];

        public List<int> Ends(int index) => _ends[index] ??= [];

        public List<int>? StartsAt(int index) => _starts[index];

        public List<int>? EndsAt(int index) => _ends[index];

        /// <summary>Adds to each local hour (of their round) how many of the snapshots i0..i1 fall in it.</summary>
        public void AddHours(long[][] hourTotals, int slot, int i0, int i1)
        {
            for (var s = _segmentOf[i0]; s < _hourSegments.Length; s++)
            {
                var start = _hourSegments[s].Start;
                if (start > i1)
                {
                    return;
                }

                var end = s + 1 < _hourSegments.Length ? _hourSegments[s + 1].Start - 1 : Keys.Length - 1;
                hourTotals[_hourSegments[s].Hour][slot] += Math.Min(end, i1) - Math.Max(start, i0) + 1;
            }
        }

        /// <summary>The place of each snapshot among all the day's snapshots in the order taken.</summary>
        public int[] FeedPositions { get; private set; } = [];

        /// <summary>The snapshots i0..i1 a run from key <paramref name="first"/> to <paramref name="last"/> covers; none when i0 &gt; i1.</summary>
        public (int I0, int I1) Cover(long first, long last)
        {
            var at = Keys.AsSpan().BinarySearch(first);
            var i0 = at >= 0 ? at : ~at;
            at = Keys.AsSpan().BinarySearch(last);
            var i1 = at >= 0 ? at : ~at - 1;
            return (i0, i1);
        }
    }

    private readonly record struct Candidate(long Anchor, int Client, int RemotePort, int LocalPort, int Local, int State, bool FromCreation, int First, int Last);

    /// <summary>Candidates in order, as a linked list from which runs past their end are dropped.</summary>
    private sealed class CandidateList
    {
        public CandidateList(Candidate[] items)
        {
            Items = items;
            Next = new int[items.Length];
            Previous = new int[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                Next[i] = i + 1 < items.Length ? i + 1 : -1;
                Previous[i] = i - 1;
            }

            Head = items.Length > 0 ? 0 : -1;
        }

        public Candidate[] Items { get; }

        public int[] Next { get; }

        public int[] Previous { get; }

        public int Head { get; private set; }

        public void Remove(int node)
        {
            if (Previous[node] >= 0)
            {
                Next[Previous[node]] = Next[node];
            }
            else
            {
                Head = Next[node];
            }

            if (Next[node] >= 0)
            {
                Previous[Next[node]] = Previous[node];
            }
        }
    }

    /// <summary>
    /// Connections created in one minute on one server: their clients (counted per client only for the few minutes
    /// that are bursts: every connection of the day is in some minute), and where in the day the first was seen.
    /// </summary>
    private sealed class BurstCounts
    {
        private readonly List<int> _clients = [];

        public long Total => _clients.Count;

        public int FirstSeen { get; private set; } = int.MaxValue;

        public void Add(int client, int feedPosition)
        {
            _clients.Add(client);
            FirstSeen = Math.Min(FirstSeen, feedPosition);
        }

        public Dictionary<int, long> PerClient()
        {
            var counts = new Dictionary<int, long>();
            foreach (var c in _clients)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, c, out _)++;
            }

            return counts;
        }
    }

    // A mutable struct on purpose: one per client in an array, updated in place through a ref for every run.
    private struct ClientAccumulator()
    {
        public long Peak;

        public long Sum;

        public int FirstRound = int.MaxValue;

        public int LastRound = -1;

        public int PresentRounds;

        private ulong _mask;
        private HashSet<int>? _more;

        public readonly int ServerCount => BitOperations.PopCount(_mask) + (_more?.Count ?? 0);

        public void AddServer(int server)
        {
            if (server < 64)
            {
                _mask |= 1UL << server;
            }
            else
            {
                (_more ??= []).Add(server);
            }
        }
    }
}
