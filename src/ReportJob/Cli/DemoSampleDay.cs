using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReportJob.NetFlow;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary>
/// A generated day for <c>reportjob demo</c>, written in the formats the product imports, so that every section of the
/// report has something to show: four Exchange servers behind a load balancer, the fourth drifting out of balance over
/// the day; clients in five sites and one unmapped subnet, over IPv4 and IPv6, most holding 2–8 connections, an EWS
/// application server and a proxy hundreds; the EWS application reconnecting all at once at 08:31 (a burst) and its
/// connections then lasting the day; a server missing two rounds. The connection tables are the PowerShell routine's
/// own files (one per round for every server, UTF-16, no server column), with its companion script's subnet list; an IIS
/// log of the day; and a NetFlow v9 capture of the day's traffic with a host scanning the servers' ports.
/// Deterministic for a given day.
/// </summary>
internal sealed class DemoSampleDay(DateOnly day, TimeZoneInfo zone, string folder)
{
    /// <summary>The servers and their addresses (Snapshots:Servers' Addresses): the routine's files name none.</summary>
    public static readonly (string Name, string[] Addresses)[] Servers =
    [
        ("EX-NODE1", ["10.10.10.16", "2001:db8:10::16"]),
        ("EX-NODE2", ["10.10.10.17"]),
        ("EX-NODE3", ["10.10.10.18"]),
        ("EX-NODE4", ["10.10.10.19"]),
    ];

    public static readonly TimeSpan RoundInterval = TimeSpan.FromMinutes(15);

    private const string EwsApplication = "10.10.10.50";

    /// <summary>The EWS application's server: the load balancer keeps a source on one server (persistence).</summary>
    private const int Sticky = 2;
    private const string Proxy = "10.2.1.250";
    private const string Scanner = "192.168.50.66";

    private static readonly (string Prefix, int Hosts)[] ClientSubnets =
        [("10.1.1.", 120), ("10.1.2.", 90), ("10.2.1.", 80), ("10.3.4.", 50), ("10.4.7.", 40), ("192.168.50.", 20), ("2001:db8:1:10::", 30)];

    private static readonly CultureInfo EnUs = CultureInfo.GetCultureInfo("en-US");

    public string RoutineFolder => Path.Combine(folder, "iisports");

    private DateTime DayStartUtc => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>The companion script's subnet list (UTF-16, "SubnetB","Sitename"; a /16 as CIDR where one /24 would not do).</summary>
    public async Task<string> WriteSitesAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "subnet2site.csv");
        string?[][] rows =
        [
            ["SubnetB", "Sitename"],
            ["10.10.10", "PaderbornServer"],
            ["10.1.0.0/16", "PaderbornClient"],
            ["10.2.1", "Berlin"],
            ["10.3.0.0/16", "Munich"],
            ["10.4.7", "Hamburg"],
            ["2001:db8:1::/48", "Berlin"],
        ];
        return await CsvExporter.WriteAsync(path, rows, CsvExporter.Unicode, NullLogger.Instance, cancellationToken);
    }

    /// <summary>
    /// One routine file per 15-minute round, every server's rows in it (or of every <paramref name="every"/>-th round only:
    /// the days before the sample day, for the trend); returns the number of files and rows.
    /// </summary>
    public async Task<(int Files, long Rows)> WriteRoutineFilesAsync(int every, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RoutineFolder);
        var random = new Random(day.DayNumber);
        var clients = Clients(random);
        var open = new Dictionary<string, List<Open>>(StringComparer.Ordinal);
        var rounds = (int)(TimeSpan.FromDays(1) / RoundInterval);
        long rows = 0;
        var files = 0;
        for (var r = 0; r < rounds; r++)
        {
            var taken = DayStartUtc + (RoundInterval * r);
            var previous = taken - RoundInterval;
            var hour = (taken - DayStartUtc).TotalHours;
            var weights = Weights(hour);
            var round = new List<StoredConnection>();
            var perServer = new int[Servers.Length];
            foreach (var c in open.Values.SelectMany(l => l))
            {
                perServer[c.Server - 1]++;
            }

            foreach (var client in clients)
            {
                var list = open.TryGetValue(client.Address, out var l) ? l : open[client.Address] = [];
                var target = client.Active(hour) ? client.Connections - random.Next(2) : 0;
                var restart = DayStartUtc.AddHours(8).AddMinutes(31);
                if (client.Address == EwsApplication && taken > restart && previous <= restart)
                {
                    // The application restarts at 08:31 and opens all its connections again within the minute.
                    perServer[Sticky - 1] -= list.Count;
                    list.Clear();
                    perServer[Sticky - 1] += client.Connections;
                    for (var i = 0; i < client.Connections; i++)
                    {
                        list.Add(new Open(Sticky, Port(random, client), restart.AddSeconds(random.Next(60))));
                    }
                }

                // Connections end (TimeWait once, then gone) and new ones open to keep the client at its target.
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list.Count > target || (client.Churn && random.Next(40) == 0))
                    {
                        round.Add(Row(list[i], client.Address, taken, TcpState.TimeWait, created: false));
                        perServer[list[i].Server - 1]--;
                        list.RemoveAt(i);
                    }
                }

                while (list.Count < target)
                {
                    var server = client.Address == EwsApplication ? Sticky : Pick(random, weights, perServer);
                    perServer[server - 1]++;
                    list.Add(new Open(server, Port(random, client), previous.AddSeconds(random.Next(1, (int)RoundInterval.TotalSeconds))));
                }

                foreach (var c in list)
                {
                    var state = random.Next(100) switch { 0 => TcpState.CloseWait, 1 => TcpState.FinWait2, 2 => TcpState.LastAck, _ => TcpState.Established };
                    round.Add(Row(c, client.Address, taken, state, created: true));
                }
            }

            // EX-NODE3 did not answer at 13:00 and 13:15: its rows are missing from those files.
            if (r is 52 or 53)
            {
                round.RemoveAll(c => c.LocalAddress == Servers[2].Addresses[0]);
            }

            if (r % every != 0)
            {
                continue;
            }

            var stamp = CsvExporter.RunStamp(taken, zone);
            var path = Path.Combine(RoutineFolder, $"iisports-{stamp}.csv");
            await CsvExporter.WriteAsync(path, CsvExporter.Connections(round, stamp, zone, EnUs), CsvExporter.Unicode, NullLogger.Instance, cancellationToken);
            // The routine wrote it at the round's time (a drop folder leaves files younger than a few seconds alone).
            File.SetLastWriteTimeUtc(path, taken.AddSeconds(20));
            rows += round.Count;
            files++;
        }

        return (files, rows);
    }

    /// <summary>The IIS log of the day (W3C, UTC): Outlook on MAPI/HTTP, the EWS application, phones on ActiveSync through the proxy, OWA, a probe.</summary>
    public string WriteIisLog()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"u_ex{day:yyMMdd}.log");
        var random = new Random(day.DayNumber + 1);
        var clients = Clients(new Random(day.DayNumber));
        var lines = new List<(DateTime At, string Line)>();
        const string outlook = "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928;+Pro)";
        foreach (var client in clients)
        {
            var (agent, stem, user) = client.Address switch
            {
                EwsApplication => ("ExchangeServicesClient/15.00.0913.015", "/EWS/Exchange.asmx", "svc-crm"),
                Proxy => ("Apple-iPhone15C2/2104.122", "/Microsoft-Server-ActiveSync/default.eas", "mobile"),
                _ when client.Address.StartsWith("10.4.", StringComparison.Ordinal) => ("Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36", "/owa/", "user"),
                _ => (outlook, "/mapi/emsmdb/", "user"),
            };
            var requests = client.Address is EwsApplication or Proxy ? 400 : random.Next(5, 40);
            for (var i = 0; i < requests; i++)
            {
                var at = DayStartUtc.AddSeconds(random.Next(86_400));
                var server = Servers[random.Next(Servers.Length)].Addresses[0];
                var name = user == "user" ? "CORP\\u" + client.Address.Replace(':', '.').Split('.')[^1] : user == "mobile" ? "mobile" + random.Next(40).ToString(CultureInfo.InvariantCulture) + "@corp.example" : "svc-crm@corp.example";
                var status = random.Next(50) == 0 ? "401 1 2148074254" : "200 0 0";
                lines.Add((at, string.Create(CultureInfo.InvariantCulture,
                    $"{at:yyyy-MM-dd HH:mm:ss} {server} POST {stem} - 443 {name} {client.Address} {agent} - {status} {random.Next(5, 300)}")));
                if (random.Next(20) == 0)
                {
                    lines.Add((at.AddSeconds(1), string.Create(CultureInfo.InvariantCulture,
                        $"{at.AddSeconds(1):yyyy-MM-dd HH:mm:ss} {server} POST /Autodiscover/Autodiscover.xml - 443 {name} {client.Address} {agent} - 200 0 0 9")));
                }
            }
        }

        var text = new StringBuilder();
        text.Append("#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"#Date: {DayStartUtc:yyyy-MM-dd HH:mm:ss}\r\n");
        text.Append("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n");
        foreach (var (_, line) in lines.OrderBy(l => l.At))
        {
            text.Append(line).Append("\r\n");
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The day's flows as a NetFlow v9 capture: clients to the servers on 443, file and DNS traffic, and at 14:10 a host scanning 300 ports of a server (SYN only).</summary>
    public string WriteNetFlowCapture()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"netflow-{day:yyyyMMdd}.pcap");
        var random = new Random(day.DayNumber + 2);
        var flows = new List<SampleFlow>();
        var clients = Clients(new Random(day.DayNumber)).Where(c => !c.Address.Contains(':', StringComparison.Ordinal)).ToList();
        foreach (var client in clients)
        {
            var source = Bits(client.Address);
            var count = client.Address is EwsApplication or Proxy ? 600 : random.Next(10, 60);
            for (var i = 0; i < count; i++)
            {
                var end = DayStartUtc.AddHours(client.From + (random.NextDouble() * (client.To - client.From)));
                var server = Bits(Servers[random.Next(Servers.Length)].Addresses[0]);
                var packets = (uint)random.Next(4, 400);
                flows.Add(new SampleFlow(source, server, (ushort)random.Next(49152, 65535), 443, 6, 0x1B, packets, packets * (uint)random.Next(200, 1400), end));
                flows.Add(new SampleFlow(server, source, 443, (ushort)random.Next(49152, 65535), 6, 0x1B, packets * 2, packets * 2 * (uint)random.Next(600, 1400), end));
                if (random.Next(4) == 0)
                {
                    flows.Add(new SampleFlow(source, Bits("10.10.20.5"), (ushort)random.Next(49152, 65535), 445, 6, 0x1B, packets, packets * 900, end));
                    flows.Add(new SampleFlow(source, Bits("10.10.20.53"), (ushort)random.Next(49152, 65535), 53, 17, 0, 1, 80, end));
                }
            }
        }

        var scanStart = DayStartUtc.AddHours(14).AddMinutes(10);
        for (var port = 1; port <= 300; port++)
        {
            flows.Add(new SampleFlow(Bits(Scanner), Bits(Servers[2].Addresses[0]), (ushort)(40_000 + port), (ushort)port, 6, 0x02, 1, 44, scanStart.AddMilliseconds(port * 150)));
        }

        flows.Sort((a, b) => a.EndUtc.CompareTo(b.EndUtc));
        using var file = File.Create(path);
        SampleCapture.Write(file, flows);
        return path;
    }

    private static uint Bits(string address) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(address).GetAddressBytes());

    private static StoredConnection Row(Open c, string client, DateTime taken, TcpState state, bool created)
    {
        var server = Servers[c.Server - 1];
        var local = client.Contains(':', StringComparison.Ordinal) ? server.Addresses[^1] : server.Addresses[0];
        // Windows knows no creation time for a connection in TimeWait: the routine writes 1/1/1601.
        return new StoredConnection(server.Name, taken, local, 443, client, c.Port, state.ToString(), created ? c.Created : null, taken);
    }

    private static int Port(Random random, Client client) =>
        client.Address.StartsWith("10.3.", StringComparison.Ordinal) ? random.Next(32768, 61000) : random.Next(49152, 65536);

    /// <summary>The load balancer's weights: even at midnight; EX-NODE4's grows through the day (a member drifting out of balance).</summary>
    private static double[] Weights(double hour) => [1, 1, 1, 1 + (hour / 30)];

    /// <summary>Weighted least connections: the server with the fewest open connections for its weight (ties at random).</summary>
    private static int Pick(Random random, double[] weights, int[] open)
    {
        var best = 0;
        var bestLoad = double.MaxValue;
        for (var i = 0; i < weights.Length; i++)
        {
            var load = ((open[i] + 1) / weights[i]) + (random.NextDouble() * 0.5);
            if (load < bestLoad)
            {
                (best, bestLoad) = (i, load);
            }
        }

        return best + 1;
    }

    private static List<Client> Clients(Random random)
    {
        var clients = new List<Client>
        {
            new(EwsApplication, 240, 7, 19, Churn: false),
            new(Proxy, 140, 6, 22, Churn: true),
            new("10.10.10.5", 2, 0, 24, Churn: false),
        };
        foreach (var (prefix, hosts) in ClientSubnets)
        {
            foreach (var host in Enumerable.Range(10, 200).OrderBy(_ => random.Next()).Take(hosts))
            {
                var address = prefix.EndsWith("::", StringComparison.Ordinal) ? prefix + host.ToString("x", CultureInfo.InvariantCulture) : prefix + host.ToString(CultureInfo.InvariantCulture);
                // Most clients hold 2–8 connections (Outlook's few, plus a browser or a phone); a few a dozen or more.
                var connections = random.Next(25) == 0 ? random.Next(12, 30) : new[] { 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8 }[random.Next(12)];
                var alwaysOn = random.Next(10) == 0;
                var start = alwaysOn ? 0 : 6.5 + (random.NextDouble() * 3);
                var end = alwaysOn ? 24 : 15.5 + (random.NextDouble() * 4);
                clients.Add(new Client(address, connections, start, end, Churn: true));
            }
        }

        return clients;
    }

    private sealed record Client(string Address, int Connections, double From, double To, bool Churn)
    {
        public bool Active(double hour) => hour >= From && hour < To;
    }

    private readonly record struct Open(int Server, int Port, DateTime Created);
}
