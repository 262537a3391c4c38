using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;
using ReportJob.Reports.Model;
using ReportJob.Sites;

namespace ReportJob.Reports;

/// <summary>
/// Builds the connection sections of a day in one pass over its snapshots, fed round by round (a round = the
/// snapshots of all servers taken in the same minute). Memory grows with clients, servers and rounds, never with
/// rows: the benchmark day (288 rounds × 4 servers × 10,000 connections) is streamed, not loaded.
/// </summary>
public sealed class ConnectionDayAggregator
{
    private static readonly long[] DistributionEdges = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly TimeZoneInfo _zone;
    private readonly ReportOptions _options;
    private readonly List<string> _servers = [];
    private readonly Dictionary<string, int> _serverIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<DateTime> _rounds = [];
    private readonly List<Dictionary<int, long>> _perServerRound = [];
    // States are few: each gets a small index, and the per-state counters are arrays indexed by it.
    private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);
    private readonly List<string> _stateNames = [];
    private readonly List<long[]> _serverStateTotals = [];
    private readonly long[][] _hourStateTotals = Enumerable.Range(0, 24).Select(_ => new long[MaxStates]).ToArray();
    private readonly long[] _stateTotals = new long[MaxStates];
    private readonly Dictionary<int, int> _roundsPerHour = [];
    private readonly Dictionary<int, int> _okSnapshotsPerServer = [];
    private readonly Dictionary<string, ClientAccumulator> _clients = new(StringComparer.Ordinal);
    private readonly List<ClientAccumulator> _touchedThisRound = [];
    private readonly Dictionary<(int Server, string Client, int Port), (string State, TimeSpan Age, bool FromCreation)> _longLived = [];
    private TimeSpan _longLivedFloor;
    private readonly Dictionary<(int Server, DateTime Minute), Dictionary<string, long>> _created = [];
    private readonly Dictionary<int, DateTime> _previousTaken = [];
    private readonly long[] _portBuckets = new long[64];
    private int _round = -1;

    private const int MaxStates = 32;

    public ConnectionDayAggregator(TimeZoneInfo zone, ReportOptions options)
    {
        _zone = zone;
        _options = options;
    }

    public long Rows { get; private set; }

    /// <summary>Starts a new round; snapshots must come in time order.</summary>
    public void BeginRound(DateTime roundUtc)
    {
        FlushRound();
        _round++;
        _rounds.Add(roundUtc);
        _perServerRound.Add([]);
        var hour = Local(roundUtc).Hour;
        _roundsPerHour[hour] = _roundsPerHour.GetValueOrDefault(hour) + 1;
    }

    /// <summary>Adds one ok snapshot of the current round.</summary>
    public void AddSnapshot(SnapshotInfo snapshot, IEnumerable<ConnectionRow> rows)
    {
        if (_round < 0)
        {
            throw new InvalidOperationException("BeginRound first");
        }

        var server = ServerIndex(snapshot.Server);
        _okSnapshotsPerServer[server] = _okSnapshotsPerServer.GetValueOrDefault(server) + 1;
        var hour = Local(_rounds[_round]).Hour;
        var taken = snapshot.TakenAtUtc;
        var createdAfter = _previousTaken.TryGetValue(server, out var prev) ? prev : taken - _options.ExpectedSnapshotInterval;
        _previousTaken[server] = taken;
        var serverStates = _serverStateTotals[server];
        var hourStates = _hourStateTotals[hour];
        long count = 0;
        foreach (var row in rows)
        {
            count++;
            var state = StateIndex(row.State);
            serverStates[state]++;
            hourStates[state]++;
            _stateTotals[state]++;
            var client = Client(row.RemoteAddress);
            if (client.CurrentRound != _round)
            {
                client.CurrentRound = _round;
                client.RoundCount = 0;
                _touchedThisRound.Add(client);
            }

            client.RoundCount++;
            client.AddServer(server);
            _portBuckets[(row.RemotePort >> 10) & 63]++;

            var age = taken - (row.CreatedAtUtc ?? row.FirstSeenUtc);
            if (age >= _options.LongLivedThreshold && age >= _longLivedFloor)
            {
                TrackLongLived(server, row, age);
            }

            if (row.CreatedAtUtc is { } created && created > createdAfter && created <= taken)
            {
                var minute = new DateTime(created.Ticks - (created.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
                if (!_created.TryGetValue((server, minute), out var perClient))
                {
                    _created[(server, minute)] = perClient = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                perClient[row.RemoteAddress] = perClient.GetValueOrDefault(row.RemoteAddress) + 1;
            }
        }

        Rows += count;
        _perServerRound[_round][server] = _perServerRound[_round].GetValueOrDefault(server) + count;
    }

    public ConnectionSection Build(SiteMap sites, Func<string, string?> dnsName, Func<string, (IReadOnlyList<string> Protocols, IReadOnlyList<string> Agents, IReadOnlyList<string> Users)>? iis = null)
    {
        FlushRound();
        if (_rounds.Count == 0 || (Rows == 0 && _clients.Count == 0))
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

        var clientPeaks = _clients.Values.Select(c => c.Peak).Order().ToArray();
        var sitesOfClients = _clients.ToDictionary(kv => kv.Key, kv => ReportText.Clean(sites.Lookup(IPAddress.TryParse(kv.Key, out var a) ? a : IPAddress.None)), StringComparer.Ordinal);
        var top = _clients
            .OrderByDescending(kv => kv.Value.Peak).ThenByDescending(kv => kv.Value.Sum).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(_options.TopClients)
            .Select(kv =>
            {
                var facts = iis?.Invoke(kv.Key) ?? ([], [], []);
                return new TopClient(kv.Key, dnsName(kv.Key), sitesOfClients[kv.Key], kv.Value.Peak, (double)kv.Value.Sum / _rounds.Count,
                    kv.Value.ServerCount, Local(_rounds[kv.Value.FirstRound]), Local(_rounds[kv.Value.LastRound]), facts.Protocols, facts.Agents, facts.Users);
            }).ToList();

        var longLived = _longLived.OrderByDescending(kv => kv.Value.Age).ThenBy(kv => kv.Key.Client, StringComparer.Ordinal).Take(_options.TopLongLived)
            .Select(kv => new LongLivedConnection(_servers[kv.Key.Server], kv.Key.Client, kv.Key.Port, kv.Value.State, kv.Value.Age, kv.Value.FromCreation)).ToList();

        var bursts = _created.Where(kv => kv.Value.Values.Sum() >= _options.BurstThreshold)
            .Select(kv =>
            {
                var topClient = kv.Value.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
                return new BurstMinute(Local(kv.Key.Minute), _servers[kv.Key.Server], kv.Value.Values.Sum(), topClient.Key, topClient.Value);
            })
            .OrderByDescending(b => b.Created).ThenBy(b => b.MinuteLocal).Take(_options.TopBursts).ToList();

        var sitesSummary = _clients.GroupBy(kv => sitesOfClients[kv.Key])
            .Select(g => new SiteSummary(g.Key, g.Count(), g.Average(c => (double)c.Value.Peak), g.Max(c => c.Value.Peak), 0, 0))
            .OrderByDescending(s => s.Clients).ThenBy(s => s.Site, StringComparer.Ordinal).ToList();

        return new ConnectionSection(
            true, _servers.ToList(), states, statesPerServer, statesPerHour,
            _rounds.Select(Local).ToList(), perServer, Balance(), _options.ImbalanceThreshold,
            Distribution(clientPeaks), new Percentiles(Percentile(clientPeaks, 0.50), Percentile(clientPeaks, 0.90), Percentile(clientPeaks, 0.99), clientPeaks.Length == 0 ? 0 : clientPeaks[^1]),
            top, longLived, bursts, PortBuckets(), PortGaps(), sitesSummary);
    }

    public IReadOnlyList<string> Servers => _servers;

    public static ConnectionSection Empty(double threshold) =>
        new(false, [], [], [], [], [], [], [], threshold, [], new Percentiles(0, 0, 0, 0), [], [], [], [], [], []);

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

    private void FlushRound()
    {
        foreach (var c in _touchedThisRound)
        {
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

    private int StateIndex(string state)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_stateIndex, state, out var exists);
        if (!exists)
        {
            // More distinct states than TCP has means garbage in the store: fold the rest into the last slot.
            index = Math.Min(_stateNames.Count, MaxStates - 1);
            if (index == _stateNames.Count)
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
    private void TrackLongLived(int server, in ConnectionRow row, TimeSpan age)
    {
        _longLived[(server, row.RemoteAddress, row.RemotePort)] = (row.State, age, row.CreatedAtUtc is not null);
        if (_longLived.Count >= Math.Max(4 * _options.TopLongLived, 64))
        {
            var keep = _longLived.OrderByDescending(kv => kv.Value.Age).Take(_options.TopLongLived).ToList();
            _longLivedFloor = keep[^1].Value.Age;
            _longLived.Clear();
            foreach (var kv in keep)
            {
                _longLived[kv.Key] = kv.Value;
            }
        }
    }

    private ClientAccumulator Client(string address)
    {
        ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(_clients, address, out _);
        return c ??= new ClientAccumulator();
    }

    private DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    private sealed class ClientAccumulator
    {
        public long Peak { get; set; }

        public long Sum { get; set; }

        public int FirstRound { get; set; } = -1;

        public int LastRound { get; set; }

        public int CurrentRound { get; set; } = -1;

        public long RoundCount { get; set; }

        public int ServerCount => BitOperations.PopCount(_mask) + (_more?.Count ?? 0);

        private ulong _mask;
        private HashSet<int>? _more;

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
