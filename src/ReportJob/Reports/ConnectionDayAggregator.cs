using System.Net;
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
    private readonly Dictionary<string, double> _stateTotals = [];
    private readonly Dictionary<(int Server, string State), long> _serverStateTotals = [];
    private readonly Dictionary<(int Hour, string State), long> _hourStateTotals = [];
    private readonly Dictionary<int, int> _roundsPerHour = [];
    private readonly Dictionary<int, int> _okSnapshotsPerServer = [];
    private readonly Dictionary<string, ClientAccumulator> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Server, string Client, int Port), (string State, TimeSpan Age, bool FromCreation)> _longLived = [];
    private readonly Dictionary<(int Server, DateTime Minute), Dictionary<string, long>> _created = [];
    private readonly Dictionary<int, DateTime> _previousTaken = [];
    private readonly long[] _portBuckets = new long[64];
    private Dictionary<string, long> _roundClients = new(StringComparer.Ordinal);
    private int _round = -1;

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
        long count = 0;
        foreach (var row in rows)
        {
            count++;
            _serverStateTotals[(server, row.State)] = _serverStateTotals.GetValueOrDefault((server, row.State)) + 1;
            _hourStateTotals[(hour, row.State)] = _hourStateTotals.GetValueOrDefault((hour, row.State)) + 1;
            _stateTotals[row.State] = _stateTotals.GetValueOrDefault(row.State) + 1;
            _roundClients[row.RemoteAddress] = _roundClients.GetValueOrDefault(row.RemoteAddress) + 1;
            var client = Client(row.RemoteAddress);
            client.Servers.Add(server);
            _portBuckets[(row.RemotePort >> 10) & 63]++;

            var fromCreation = row.CreatedAtUtc is not null;
            var age = taken - (row.CreatedAtUtc ?? row.FirstSeenUtc);
            if (age >= _options.LongLivedThreshold && (_longLived.Count < _options.MaxTrackedLongLived || _longLived.ContainsKey((server, row.RemoteAddress, row.RemotePort))))
            {
                _longLived[(server, row.RemoteAddress, row.RemotePort)] = (row.State, age, fromCreation);
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
        if (_rounds.Count == 0 || Rows == 0 && _clients.Count == 0)
        {
            return Empty(_options.ImbalanceThreshold);
        }

        var states = _stateTotals.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).ToList();
        var statesPerServer = _servers.Select((name, i) => new ServerStates(name, states.ToDictionary(
            s => s, s => (double)_serverStateTotals.GetValueOrDefault((i, s)) / Math.Max(1, _okSnapshotsPerServer.GetValueOrDefault(i))))).ToList();
        var statesPerHour = Enumerable.Range(0, 24).Where(_roundsPerHour.ContainsKey).Select(h => new HourStates(h, states.ToDictionary(
            s => s, s => (double)_hourStateTotals.GetValueOrDefault((h, s)) / _roundsPerHour[h]))).ToList();

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
                    kv.Value.Servers.Count, Local(_rounds[kv.Value.FirstRound]), Local(_rounds[kv.Value.LastRound]), facts.Protocols, facts.Agents, facts.Users);
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
        if (_round < 0 || _roundClients.Count == 0)
        {
            return;
        }

        foreach (var (address, count) in _roundClients)
        {
            var c = _clients[address];
            c.Sum += count;
            if (count > c.Peak)
            {
                c.Peak = count;
            }

            if (c.FirstRound < 0)
            {
                c.FirstRound = _round;
            }

            c.LastRound = _round;
        }

        _roundClients = new Dictionary<string, long>(StringComparer.Ordinal);
    }

    private ClientAccumulator Client(string address)
    {
        if (!_clients.TryGetValue(address, out var c))
        {
            _clients[address] = c = new ClientAccumulator();
        }

        return c;
    }

    private DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    private sealed class ClientAccumulator
    {
        public long Peak { get; set; }

        public long Sum { get; set; }

        public int FirstRound { get; set; } = -1;

        public int LastRound { get; set; }

        public HashSet<int> Servers { get; } = [];
    }
}
