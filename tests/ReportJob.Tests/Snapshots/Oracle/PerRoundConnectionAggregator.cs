using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;
using ReportJob.Reports;
using ReportJob.Reports.Model;
using ReportJob.Snapshots;
using ReportJob.Sites;

namespace ReportJob.Tests.Snapshots.Oracle;

/// <summary>
/// THE TEST ORACLE: the per-round aggregation the report used before connections were stored as runs, kept verbatim
/// (only renamed) so that the differential tests can show the run-based one gives the same model.
/// Builds the connection sections of a day in one pass over its snapshots, fed snapshot by snapshot in time order (a
/// round = the snapshots of all servers taken in the same minute). Memory grows with clients, servers and rounds, never
/// with rows: the benchmark day (288 rounds × 4 servers × 10,000 connections) is streamed, not loaded. Rows hold no
/// text: whoever reads them turns a client address or state into an index here once (<see cref="ClientIndex(string)"/>,
/// <see cref="StateIndex(string)"/>), so that the per-row work is array indexing.
/// </summary>
internal sealed class PerRoundConnectionAggregator
{
    private static readonly long[] DistributionEdges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly TimeZoneInfo _zone;
    private readonly ReportOptions _options;
    private readonly List<string> _servers = [];
    private readonly Dictionary<string, int> _serverIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<DateTime> _rounds = [];
    private readonly List<Dictionary<int, long>> _perServerRound = [];
    // States are few: each gets a small index, and the per-state counters are arrays indexed by its slot.
    private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);
    private readonly List<string> _stateTexts = [];
    private int[] _stateSlots = new int[MaxStates];
    private readonly List<string> _stateNames = [];
    private readonly List<long[]> _serverStateTotals = [];
    private readonly long[][] _hourStateTotals = Enumerable.Range(0, 24).Select(_ => new long[MaxStates]).ToArray();
    private readonly long[] _stateTotals = new long[MaxStates];
    private readonly Dictionary<int, int> _roundsPerHour = [];
    private readonly Dictionary<int, int> _okSnapshotsPerServer = [];
    // Clients get an index when first seen; rows carry it, and the per-client figures are an array indexed by it.
    private readonly Dictionary<string, int> _clientIndex = new(StringComparer.Ordinal);
    private readonly List<string> _clientNames = [];
    private ClientAccumulator[] _clients = new ClientAccumulator[1024];
    private readonly List<int> _touchedThisRound = [];
    private readonly Dictionary<(int Server, int Client, int Port), (int State, long AgeTicks, bool FromCreation)> _longLived = [];
    private long _longLivedFloorTicks;
    private readonly Dictionary<(int Server, long MinuteTicks), Dictionary<int, long>> _created = [];
    private readonly Dictionary<int, long> _previousTakenTicks = [];
    private readonly long[] _portBuckets = new long[64];
    private int _round = -1;
    private DateTime _roundMinute;

    // The snapshot that rows are added to.
    private int _server = -1;
    private long _takenTicks;
    private long _createdAfterTicks;
    private long[] _snapshotServerStates = [];
    private long[] _snapshotHourStates = [];

    private const int MaxStates = 32;

    public PerRoundConnectionAggregator(TimeZoneInfo zone, ReportOptions options)
    {
        _zone = zone;
        _options = options;
    }

    public long Rows { get; private set; }

    /// <summary>
    /// Starts one ok snapshot, whose rows follow through <see cref="Add"/>. Snapshots come in time order; the first one
    /// of a new minute starts a new round.
    /// </summary>
    public void BeginSnapshot(SnapshotInfo snapshot)
    {
        var taken = snapshot.TakenAtUtc;
        var minute = new DateTime(taken.Ticks - (taken.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        if (_round < 0 || minute != _roundMinute)
        {
            BeginRound(minute);
        }

        var server = ServerIndex(snapshot.Server);
        _server = server;
        _okSnapshotsPerServer[server] = _okSnapshotsPerServer.GetValueOrDefault(server) + 1;
        _takenTicks = taken.Ticks;
        _createdAfterTicks = _previousTakenTicks.TryGetValue(server, out var prev) ? prev : taken.Ticks - _options.ExpectedSnapshotInterval.Ticks;
        _previousTakenTicks[server] = taken.Ticks;
        _snapshotServerStates = _serverStateTotals[server];
        _snapshotHourStates = _hourStateTotals[Local(_rounds[_round]).Hour];
        _perServerRound[_round].TryAdd(server, 0);
    }

    /// <summary>Adds rows of the snapshot begun last; their client and state indexes come from this aggregator.</summary>
    public void Add(ReadOnlySpan<OracleRow> rows)
    {
        if (_server < 0)
        {
            throw new InvalidOperationException("BeginSnapshot first");
        }

        var server = _server;
        var round = _round;
        var taken = _takenTicks;
        var createdAfter = _createdAfterTicks;
        var longLivedThreshold = _options.LongLivedThreshold.Ticks;
        var serverStates = _snapshotServerStates;
        var hourStates = _snapshotHourStates;
        var clients = _clients;
        var stateSlots = _stateSlots;
        foreach (ref readonly var row in rows)
        {
            var slot = stateSlots[row.State];
            serverStates[slot]++;
            hourStates[slot]++;
            _stateTotals[slot]++;
            ref var client = ref clients[row.Client];
            if (client.CurrentRound != round)
            {
                client.CurrentRound = round;
                client.RoundCount = 0;
                _touchedThisRound.Add(row.Client);
            }

            client.RoundCount++;
            client.AddServer(server);
            _portBuckets[(row.RemotePort >> 10) & 63]++;

            var age = taken - (row.HasCreationTime ? row.CreatedAtTicks : row.FirstSeenTicks);
            if (age >= longLivedThreshold && age >= _longLivedFloorTicks)
            {
                TrackLongLived(server, row, age);
            }

            if (row.HasCreationTime && row.CreatedAtTicks > createdAfter && row.CreatedAtTicks <= taken)
            {
                var minute = row.CreatedAtTicks - (row.CreatedAtTicks % TimeSpan.TicksPerMinute);
                ref var perClient = ref CollectionsMarshal.GetValueRefOrAddDefault(_created, (server, minute), out _);
                perClient ??= [];
                CollectionsMarshal.GetValueRefOrAddDefault(perClient, row.Client, out _)++;
            }
        }

        Rows += rows.Length;
        _perServerRound[round][server] += rows.Length;
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

    public ConnectionSection Build(SiteMap sites, Func<string, string?> dnsName, Func<string, (IReadOnlyList<string> Protocols, IReadOnlyList<string> Agents, IReadOnlyList<string> Users)>? iis = null)
    {
        FlushRound();
        if (_rounds.Count == 0 || (Rows == 0 && _clientNames.Count == 0))
        {
            return Empty(_options.ImbalanceThreshold);
        }

        var order = Enumerable.Range(0, _stateNames.Count).OrderByDescending(i => _stateTotals[i]).ThenBy(i => _stateNames[i], StringComparer.Ordinal).ToList();
        var states = order.Select(i => _stateNames[i]).ToList();
        var statesPerServer = _servers.Select((name, server) => new ServerStates(name, order.ToDictionary(
            i => _stateNames[i], i => (double)_serverStateTotals[server][i] / Math.Max(1, _okSnapshotsPerServer.GetValueOrDefault(server))))).ToList();
        var statesPerHour = Enumerable.Range(0, 24).Where(_roundsPerHour.ContainsKey).Select(h => new HourStates(h, order.ToDictionary(
            i => _stateNames[i], i => (double)_hourStateTotals[h][i] / _roundsPerHour[h]))).ToList();

        var perServer = _servers.Select((name, i) => new ServerSeries(name,
            _perServerRound.Select(r => r.TryGetValue(i, out var c) ? c : double.NaN).ToList())).ToList();

        var clients = _clients.AsSpan(0, _clientNames.Count).ToArray();
        var clientPeaks = clients.Select(c => c.Peak).Order().ToArray();
        var sitesOfClients = _clientNames.Select(name => ReportText.Clean(sites.Lookup(IPAddress.TryParse(name, out var a) ? a : IPAddress.None))).ToArray();
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

        var longLived = _longLived.OrderByDescending(kv => kv.Value.AgeTicks).ThenBy(kv => _clientNames[kv.Key.Client], StringComparer.Ordinal).Take(_options.TopLongLived)
            .Select(kv => new LongLivedConnection(_servers[kv.Key.Server], _clientNames[kv.Key.Client], kv.Key.Port, _stateTexts[kv.Value.State],
                TimeSpan.FromTicks(kv.Value.AgeTicks), kv.Value.FromCreation)).ToList();

        var bursts = _created.Where(kv => kv.Value.Values.Sum() >= _options.BurstThreshold)
            .Select(kv =>
            {
                var topClient = kv.Value.OrderByDescending(c => c.Value).ThenBy(c => _clientNames[c.Key], StringComparer.Ordinal).First();
                return new BurstMinute(Local(new DateTime(kv.Key.MinuteTicks, DateTimeKind.Utc)), _servers[kv.Key.Server], kv.Value.Values.Sum(),
                    _clientNames[topClient.Key], topClient.Value);
            })
            .OrderByDescending(b => b.Created).ThenBy(b => b.MinuteLocal).Take(_options.TopBursts).ToList();

        var createdPerMinute = _created.GroupBy(kv => kv.Key.MinuteTicks).OrderBy(g => g.Key)
            .Select(g => new CreatedMinute(Local(new DateTime(g.Key, DateTimeKind.Utc)), g.Sum(kv => kv.Value.Values.Sum())))
            .ToList();

        var sitesSummary = Enumerable.Range(0, clients.Length).GroupBy(i => sitesOfClients[i])
            .Select(g => new SiteSummary(g.Key, g.Count(), g.Average(i => (double)clients[i].Peak), g.Max(i => clients[i].Peak), 0, 0))
            .OrderByDescending(s => s.Clients).ThenBy(s => s.Site, StringComparer.Ordinal).ToList();

        return new ConnectionSection(
            true, _servers.ToList(), states, statesPerServer, statesPerHour,
            _rounds.Select(Local).ToList(), perServer, Balance(), _options.ImbalanceThreshold,
            Distribution(clientPeaks), new Percentiles(Percentile(clientPeaks, 0.50), Percentile(clientPeaks, 0.90), Percentile(clientPeaks, 0.99), clientPeaks.Length == 0 ? 0 : clientPeaks[^1]),
            top, longLived, createdPerMinute, bursts, PortBuckets(), PortGaps(), sitesSummary);
    }

    public IReadOnlyList<string> Servers => _servers;

    public static ConnectionSection Empty(double threshold) =>
        new(false, [], [], [], [], [], [], [], threshold, [], new Percentiles(0, 0, 0, 0), [], [], [], [], [], [], []);

    public int ServerIndex(string server)
    {
        if (!_serverIndex.TryGetValue(server, out var i))
        {
            i = _servers.Count;
            _servers.Add(server);
            _serverIndex[server] = i;
            _serverStateTotals.Add(new long[MaxStates]);
        }

        return i;
    }

    private IReadOnlyList<ServerShare> Balance()
    {
        var n = _servers.Count;
        var sums = new double[n];
        var peaks = new long[n];
        var maxDev = new double[n];
        var flagged = new int[n];
        var rounds = new int[n];
        foreach (var round in _perServerRound)
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

    private void BeginRound(DateTime minuteUtc)
    {
        FlushRound();
        _round++;
        _roundMinute = minuteUtc;
        _rounds.Add(minuteUtc);
        _perServerRound.Add([]);
        var hour = Local(minuteUtc).Hour;
        _roundsPerHour[hour] = _roundsPerHour.GetValueOrDefault(hour) + 1;
    }

    private void FlushRound()
    {
        foreach (var i in _touchedThisRound)
        {
            ref var c = ref _clients[i];
            c.Sum += c.RoundCount;
            if (c.RoundCount > c.Peak)
            {
                c.Peak = c.RoundCount;
            }

            if (c.FirstRound < 0)
            {
                c.FirstRound = c.CurrentRound;
            }

            c.LastRound = c.CurrentRound;
            c.RoundCount = 0;
        }

        _touchedThisRound.Clear();
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

            // More distinct states than TCP has means garbage in the store: their counts fold into the last slot (a
            // long-lived connection still shows its own state).
            _stateSlots[index] = Math.Min(_stateNames.Count, MaxStates - 1);
            if (_stateSlots[index] == _stateNames.Count)
            {
                _stateNames.Add(state);
            }
        }

        return index;
    }

    /// <summary>
    /// Keeps the oldest connections, bounded: ages only grow through the day, so once the tracked set is pruned to
    /// the longest <see cref="ReportOptions.TopLongLived"/>, anything younger than the shortest of them cannot enter
    /// the list any more and is skipped without a lookup.
    /// </summary>
    private void TrackLongLived(int server, in OracleRow row, long ageTicks)
    {
        _longLived[(server, row.Client, row.RemotePort)] = (row.State, ageTicks, row.HasCreationTime);
        if (_longLived.Count >= Math.Max(4 * _options.TopLongLived, 64))
        {
            var keep = _longLived.OrderByDescending(kv => kv.Value.AgeTicks).Take(_options.TopLongLived).ToList();
            _longLivedFloorTicks = keep[^1].Value.AgeTicks;
            _longLived.Clear();
            foreach (var kv in keep)
            {
                _longLived[kv.Key] = kv.Value;
            }
        }
    }

    private DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    // A mutable struct on purpose: one per client in an array, updated in place through a ref for every row.
    private struct ClientAccumulator()
    {
        public long Peak;

        public long Sum;

        public int FirstRound = -1;

        public int LastRound;

        public int CurrentRound = -1;

        public long RoundCount;

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
