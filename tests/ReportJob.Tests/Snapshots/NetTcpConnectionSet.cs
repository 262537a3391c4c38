using System.Text.Json;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// Random connections shaped like Get-NetTCPConnection's output on four Exchange servers behind a load balancer (one
/// reached over IPv6, one whose local address shows IPv4-mapped), for the PowerShell stand-in: clients in three
/// class-C subnets, over IPv6 and IPv4-mapped, most holding 2–8 connections and a few hundreds; every TCP state;
/// listeners and bound sockets (remote port 0), loopback, back-end port 444, and FILETIME-0 (1/1/1601) creation times.
/// </summary>
internal static class NetTcpConnectionSet
{
    public static readonly string[] Servers = ["10.10.10.16", "10.10.10.17", "::ffff:10.10.10.18", "2001:db8:10::19"];

    public sealed record Row(string LocalAddress, int LocalPort, string RemoteAddress, int RemotePort, int State, long CreatedUtcTicks, int OwningProcess);

    public static List<Row> Generate(int seed, DateTime nowUtc)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        var states = Enum.GetValues<TcpState>().Where(s => s is not (TcpState.Listen or TcpState.Bound)).ToArray();
        var clients = new List<string>();
        foreach (var net in new[] { "10.1.1", "10.2.1", "10.3.4" })
        {
            for (var i = 0; i < 25; i++)
            {
                clients.Add($"{net}.{random.Next(1, 255)}");
            }
        }

        for (var i = 0; i < 12; i++)
        {
            clients.Add($"2001:db8:1:{random.Next(1, 4):x}::{random.Next(1, 0xffff):x}");
        }

        // Some clients seen both as themselves and IPv4-mapped (a dual-stack listener shows them so).
        clients.AddRange(clients.Take(6).Select(c => "::ffff:" + c).ToList());
        clients = clients.Distinct().ToList();
        foreach (var client in clients)
        {
            // Most clients hold 2–8 connections; one in twenty hundreds (an EWS application, a proxy).
            var count = random.Next(20) == 0 ? random.Next(100, 400) : random.Next(2, 9);
            for (var i = 0; i < count; i++)
            {
                var server = Servers[random.Next(Servers.Length)];
                var remote = server.Contains(':', StringComparison.Ordinal) && !server.StartsWith("::ffff:", StringComparison.Ordinal) && !client.Contains(':', StringComparison.Ordinal)
                    ? "::ffff:" + client // an IPv4 client reaching the IPv6 listener
                    : client;
                var state = random.Next(4) == 0 ? states[random.Next(states.Length)] : TcpState.Established;
                rows.Add(new Row(server, random.Next(30) == 0 ? 444 : 443, remote, random.Next(1025, 65536), (int)state, Created(random, nowUtc, state), 4242));
            }
        }

        foreach (var server in Servers)
        {
            var any = server.StartsWith("2001", StringComparison.Ordinal) ? "::" : "0.0.0.0";
            rows.Add(new Row(server, 443, any, 0, (int)TcpState.Listen, nowUtc.AddDays(-3).Ticks, 4));
            rows.Add(new Row(server, 443, any, 0, (int)TcpState.Bound, 0, 4));
            rows.Add(new Row("127.0.0.1", 443, "127.0.0.1", random.Next(1025, 65536), (int)TcpState.TimeWait, 0, 0));
        }

        return rows.OrderBy(_ => random.Next()).ToList();
    }

    public static void WriteJson(string path, IEnumerable<Row> rows) => File.WriteAllText(path, JsonSerializer.Serialize(rows));

    private static long Created(Random random, DateTime nowUtc, TcpState state) =>
        // Windows knows no creation time for a connection in TimeWait (and for some others): FILETIME 0.
        state == TcpState.TimeWait || random.Next(10) == 0 ? 0 : nowUtc.AddSeconds(-random.Next(1, 8 * 3600)).Ticks;
}
