using System.Net;
using ReportJob.Sites;

namespace ReportJob.Snapshots;

/// <summary>
/// Folds rounds of connections into the figures the connections verbs show: per client, per server, per state and per
/// site. With one round the figures are that round's counts; over many, counts are the most in one round and averages
/// are per round (per client: over all rounds, also those it was not seen in; per server: over its own snapshots).
/// </summary>
public sealed class ConnectionSummary(SiteMap sites)
{
    private readonly Dictionary<string, ClientTotals> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServerTotals> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Max, long Total)> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiteTotals> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _siteOf = new(StringComparer.Ordinal);

    public int Rounds { get; private set; }

    public long Connections { get; private set; }

    public void Add(ConnectionRound round, IReadOnlyList<StoredConnection> connections)
    {
        Rounds++;
        Connections += connections.Count;
        var perClient = new Dictionary<string, int>(StringComparer.Ordinal);
        var perServer = new Dictionary<string, (int Count, Dictionary<string, int> States)>(StringComparer.Ordinal);
        var perState = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var server in round.Servers)
        {
            perServer[server] = (0, new Dictionary<string, int>(StringComparer.Ordinal));
        }

        foreach (var c in connections)
        {
            perClient[c.RemoteAddress] = perClient.GetValueOrDefault(c.RemoteAddress) + 1;
            perState[c.State] = perState.GetValueOrDefault(c.State) + 1;
            var s = perServer[c.Server];
            s.States[c.State] = s.States.GetValueOrDefault(c.State) + 1;
            perServer[c.Server] = (s.Count + 1, s.States);

            if (!_clients.TryGetValue(c.RemoteAddress, out var client))
            {
                _clients[c.RemoteAddress] = client = new ClientTotals(c.FirstSeenUtc, c.TakenAtUtc);
            }

            client.Servers.Add(c.Server);
            client.FirstSeen = c.FirstSeenUtc < client.FirstSeen ? c.FirstSeenUtc : client.FirstSeen;
            client.LastSeen = c.TakenAtUtc > client.LastSeen ? c.TakenAtUtc : client.LastSeen;
        }

        foreach (var (address, count) in perClient)
        {
            var client = _clients[address];
            client.Total += count;
            client.Max = Math.Max(client.Max, count);
            var site = SiteOf(address);
            if (!_sites.TryGetValue(site, out var totals))
            {
                _sites[site] = totals = new SiteTotals();
            }

            totals.Clients.Add(address);
            totals.Pairs++;
            totals.Connections += count;
            totals.Max = Math.Max(totals.Max, count);
        }

        foreach (var (server, (count, states)) in perServer)
        {
            if (!_servers.TryGetValue(server, out var totals))
            {
                _servers[server] = totals = new ServerTotals();
            }

            totals.Snapshots++;
            totals.Total += count;
            totals.Max = Math.Max(totals.Max, count);
            foreach (var (state, n) in states)
            {
                totals.States[state] = totals.States.GetValueOrDefault(state) + n;
            }
        }

        foreach (var (state, count) in perState)
        {
            var (max, total) = _states.GetValueOrDefault(state);
            _states[state] = (Math.Max(max, count), total + count);
        }
    }

    /// <summary>Clients by connections (most first, then address), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<TopClient> Top(int? limit) =>
        _clients
            .Select(kv => new TopClient(kv.Key, kv.Value.Max, Average(kv.Value.Total, Rounds), kv.Value.Servers.Count, kv.Value.FirstSeen, kv.Value.LastSeen, SiteOf(kv.Key)))
            .OrderByDescending(c => c.Connections).ThenByDescending(c => c.Average).ThenBy(c => c.RemoteAddress, StringComparer.Ordinal)
            .Take(limit ?? int.MaxValue)
            .ToList();

    public IReadOnlyList<ServerLoad> Servers() =>
        _servers
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ServerLoad(
                kv.Key,
                kv.Value.Snapshots,
                kv.Value.Max,
                Average(kv.Value.Total, kv.Value.Snapshots),
                kv.Value.States
                    .OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => KeyValuePair.Create(s.Key, Average(s.Value, kv.Value.Snapshots)))
                    .ToList()))
            .ToList();

    public IReadOnlyList<StateLoad> States() =>
        _states
            .Select(kv => new StateLoad(kv.Key, kv.Value.Max, Average(kv.Value.Total, Rounds), Connections == 0 ? 0 : 100.0 * kv.Value.Total / Connections))
            .OrderByDescending(s => s.Average).ThenBy(s => s.State, StringComparer.Ordinal)
            .ToList();

    /// <summary>Per site: clients, and connections per client (mean over client-rounds, most in one round).</summary>
    public IReadOnlyList<SiteLoad> Sites() =>
        _sites
            .Select(kv => new SiteLoad("", kv.Key, kv.Value.Clients.Count, Average(kv.Value.Connections, kv.Value.Pairs), kv.Value.Max))
            .OrderByDescending(s => s.Clients).ThenBy(s => s.Site, StringComparer.Ordinal)
            .ToList();

    private static double Average(long total, long count) => count == 0 ? 0 : (double)total / count;

    private string SiteOf(string address)
    {
        if (!_siteOf.TryGetValue(address, out var site))
        {
            _siteOf[address] = site = IPAddress.TryParse(address, out var ip) ? sites.Lookup(ip) : SiteMap.Unknown;
        }

        return site;
    }

    private sealed class ClientTotals(DateTime firstSeen, DateTime lastSeen)
    {
        public HashSet<string> Servers { get; } = new(StringComparer.Ordinal);

        public DateTime FirstSeen { get; set; } = firstSeen;

        public DateTime LastSeen { get; set; } = lastSeen;

        public long Total { get; set; }

        public int Max { get; set; }
    }

    private sealed class ServerTotals
    {
        public int Snapshots { get; set; }

        public long Total { get; set; }

        public int Max { get; set; }

        public Dictionary<string, long> States { get; } = new(StringComparer.Ordinal);
    }

    private sealed class SiteTotals
    {
        public HashSet<string> Clients { get; } = new(StringComparer.Ordinal);

        public long Pairs { get; set; }

        public long Connections { get; set; }

        public int Max { get; set; }
    }
}
