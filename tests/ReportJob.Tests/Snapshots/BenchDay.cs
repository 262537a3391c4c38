using System.Net;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// The benchmark's day of connection snapshots: every server keeps a table of live connections; each round
/// <see cref="Churn"/> of them close and as many open, and <see cref="StateChanges"/> of them change state (the same
/// connection, a new state). Clients are skewed (a few hold hundreds of connections, most a handful), a fifth of them
/// IPv6; creation times are Windows-like (100 ns precision), a day old at most when the day starts, seconds old for
/// connections opened during it. Deterministic for a seed, so that runs before and after a change store the same day.
/// </summary>
public sealed class BenchDay
{
    public const double Churn = 0.10;
    public const double StateChanges = 0.02;

    private static readonly TcpState[] OtherStates = [TcpState.CloseWait, TcpState.TimeWait, TcpState.FinWait2, TcpState.SynReceived, TcpState.LastAck];

    private readonly int _servers;
    private readonly int _connections;
    private readonly IPAddress[] _clients;
    private readonly Random _random;
    private readonly List<TcpConnection>[] _live;
    private readonly HashSet<(IPAddress, int)>[] _used;

    public BenchDay(DateTime startUtc, int rounds, int servers, int connections, int clients, int seed = 42)
    {
        StartUtc = startUtc;
        Rounds = rounds;
        _servers = servers;
        _connections = connections;
        _random = new Random(seed);
        _clients = Enumerable.Range(0, clients).Select(i => i % 5 == 4
            ? IPAddress.Parse($"2001:db8:{i >> 16:x}:{(i >> 8) & 0xFF:x}::{i & 0xFF:x}")
            : new IPAddress([10, (byte)(1 + (i >> 16)), (byte)(i >> 8), (byte)i])).ToArray();
        _live = Enumerable.Range(0, servers).Select(_ => new List<TcpConnection>(connections)).ToArray();
        _used = Enumerable.Range(0, servers).Select(_ => new HashSet<(IPAddress, int)>()).ToArray();
        for (var s = 0; s < servers; s++)
        {
            for (var c = 0; c < connections; c++)
            {
                _live[s].Add(Open(s, startUtc - TimeSpan.FromTicks(_random.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.TicksPerDay))));
            }
        }
    }

    public DateTime StartUtc { get; }

    public int Rounds { get; }

    public long ConnectionRounds => (long)Rounds * _servers * _connections;

    public static string Server(int server) => $"EX{server:00}";

    /// <summary>When server <paramref name="server"/> is collected in round <paramref name="round"/>: every 5 minutes of a 288-round day, the servers 1.25 s apart.</summary>
    public DateTime TakenAt(int round, int server) =>
        StartUtc.AddTicks((long)round * (TimeSpan.TicksPerDay / Rounds) + server * 12_500_000L + 3_217_000L);

    /// <summary>The snapshots of one round, one per server, after that round's closes, opens and state changes.</summary>
    public IEnumerable<Snapshot> Round(int round)
    {
        for (var s = 0; s < _servers; s++)
        {
            var taken = TakenAt(round, s);
            if (round > 0)
            {
                Step(s, taken);
            }

            yield return new Snapshot(Server(s), "bench", taken, _live[s].ToArray(), TimeSpan.Zero);
        }
    }

    private void Step(int server, DateTime taken)
    {
        var live = _live[server];
        var churn = (int)(live.Count * Churn);
        for (var i = 0; i < churn; i++)
        {
            var at = _random.Next(live.Count);
            _used[server].Remove((live[at].RemoteAddress, live[at].RemotePort));
            live[at] = live[^1];
            live.RemoveAt(live.Count - 1);
        }

        for (var i = 0; i < churn; i++)
        {
            live.Add(Open(server, taken - TimeSpan.FromTicks(_random.NextInt64(TimeSpan.TicksPerSecond, 300 * TimeSpan.TicksPerSecond))));
        }

        for (var i = 0; i < (int)(live.Count * StateChanges); i++)
        {
            var at = _random.Next(live.Count);
            var state = live[at].State == TcpState.Established ? OtherStates[_random.Next(OtherStates.Length)] : TcpState.Established;
            live[at] = live[at] with { State = state };
        }
    }

    private TcpConnection Open(int server, DateTime created)
    {
        // Skewed: a few clients hold many connections, most hold a handful. A client's port is used once at a time.
        IPAddress client;
        int port;
        do
        {
            client = _clients[(int)(_clients.Length * Math.Pow(_random.NextDouble(), 3))];
            port = _random.Next(49152, 65536);
        }
        while (!_used[server].Add((client, port)));

        return new TcpConnection(new IPAddress([10, 0, 0, (byte)(10 + server)]), 443, client, port, TcpState.Established, created);
    }
}
