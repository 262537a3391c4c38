using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.IisLogs;
using ReportJob.NetFlow;
using ReportJob.Snapshots;
using ReportJob.Sites;
using ReportJob.Storage;
using ReportJob.Tests.NetFlow;
using ReportJob.Tests.TestSupport;
using Flow = ReportJob.Tests.NetFlow.ExportPcapBuilder.Flow;

namespace ReportJob.Tests.Reports;

/// <summary>
/// A small, fully known day (2026-11-20 in Europe/Paris): three servers, a snapshot every hour, clients in three
/// sites, one server that failed twice, and hostile strings where untrusted text can reach the report.
/// </summary>
internal static class ReportFixture
{
    public static readonly DateOnly Day = new(2026, 11, 20);
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);
    public const string Hostile = "<script>alert('x')</script>=cmd|' /C calc'!A0\u0007\u001b[31m";

    /// <summary>A site name a spreadsheet would take for a formula, with markup in it.</summary>
    public const string HostileSite = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>";

    public static Task<TestDatabase> CreateAsync(StorageProvider provider = StorageProvider.Sqlite, IDictionary<string, string?>? extra = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-report-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>
        {
            ["Reports:TimeZone"] = "Europe/Paris",
            ["Reports:Culture"] = "en-US",
            ["Reports:ResolveDnsNames"] = "false",
            ["Reports:OutputPath"] = Path.Combine(dir, "reports"),
            ["Reports:PublicUrl"] = @"\\fileserver\reports",
            ["Reports:LongLivedThreshold"] = "06:00:00",
            ["Reports:BurstThreshold"] = "5",
            ["Reports:ExpectedSnapshotInterval"] = "01:00:00",
            ["Mail:PickupDirectory"] = Path.Combine(dir, "mail"),
            ["Mail:To:0"] = "exchange-team@example.com",
            ["Mail:From"] = "reportjob@example.com",
            ["Snapshots:Servers:0:Name"] = "EX01",
            ["Snapshots:Servers:1:Name"] = "EX02",
            ["Snapshots:Servers:2:Name"] = "EX03",
        };
        foreach (var kv in extra ?? new Dictionary<string, string?>())
        {
            settings[kv.Key] = kv.Value;
        }

        return CreateWithDataAsync(provider, settings);
    }

    /// <summary>
    /// The day's flows, every figure known: at 10:01–10:02 UTC (11:01 in Paris) client 10.2.1.50 sends 100 packets,
    /// 100,000 bytes to 10.3.0.7 tcp/443 and gets 80 packets, 40,000 bytes back, both through exporter 192.0.2.1, which
    /// samples 1 in 10 (so 1,000,000 and 400,000 bytes); 10.2.1.51 asks 198.51.100.7 udp/53 once (70 bytes × 10);
    /// through 192.0.2.2 (unsampled) 10.3.6.6 probes 120 ports of 10.2.1.50 with one 40-byte packet each.
    /// So 10.2.1.50: bytes out 1,000,000, bytes in 400,000 + 4,800 = 404,800, flows 1 + 1 + 120 = 122, service port tcp/443.
    /// </summary>
    public static async Task IngestFlowsAsync(TestDatabase db)
    {
        var t0 = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
        var probes = Enumerable.Range(1, 120).Select(p => new Flow("10.3.6.6", "10.2.1.50", 40000, (ushort)p, 6, 1, 40, t0.AddSeconds(30), t0.AddSeconds(31)));
        var builder = new ExportPcapBuilder()
            .V5("192.0.2.1", t0.AddMinutes(10), [
                new Flow("10.2.1.50", "10.3.0.7", 50000, 443, 6, 100, 100_000, t0.AddMinutes(1), t0.AddMinutes(2)),
                new Flow("10.3.0.7", "10.2.1.50", 443, 50000, 6, 80, 40_000, t0.AddMinutes(1), t0.AddMinutes(2)),
                new Flow("10.2.1.51", "198.51.100.7", 50001, 53, 17, 1, 70, t0.AddMinutes(6), t0.AddMinutes(7)),
            ], samplingInterval: 10);
        foreach (var chunk in probes.Chunk(30))
        {
            builder.V5("192.0.2.2", t0.AddMinutes(10), chunk.ToList());
        }

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(builder.Save(Path.Combine(db.Directory, "day.pcap")), default);
        Assert.Equal(IngestStatus.Ingested, outcome.Status);
    }

    /// <summary>
    /// The same snapshots a week earlier without EX03 (13 November, and the one after its local midnight on the 14th),
    /// for the report's trend: stored, not rolled up (no report ran for those days).
    /// </summary>
    public static Task StoreEarlierWeekAsync(TestDatabase db) =>
        StoreAsync(db, Snapshots().OfType<Snapshot>().Where(s => s.Server != "EX03").Select(s => s with { TakenAtUtc = s.TakenAtUtc.AddDays(-7) }));

    /// <summary>Stores snapshots and failures (<see cref="Snapshot"/> or <see cref="SnapshotFailure"/>) in the order given.</summary>
    private static async Task StoreAsync(TestDatabase db, IEnumerable<object> items)
    {
        var store = db.Get<SnapshotStore>();
        foreach (var item in items)
        {
            await (item is Snapshot snapshot ? store.SaveAsync(snapshot, default) : store.SaveFailureAsync((SnapshotFailure)item, default));
        }
    }

    /// <summary>An IIS log of the day: 10.2.1.50 on MAPI/HTTP (alice, twice) and ActiveSync (bob, a hostile user agent), 10.3.4.8 on OWA (401).</summary>
    public static async Task ImportIisLogAsync(TestDatabase db)
    {
        var log = Path.Combine(db.Directory, "u_ex261120.log");
        await File.WriteAllTextAsync(log, """
            #Software: Microsoft Internet Information Services 10.0
            #Version: 1.0
            #Date: 2026-11-20 00:00:00
            #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
            2026-11-20 08:00:01 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\alice 10.2.1.50 Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928) - 200 0 0 15
            2026-11-20 08:00:02 10.0.0.10 POST /mapi/emsmdb/ - 443 CONTOSO\alice 10.2.1.50 Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928) - 200 0 0 12
            2026-11-20 08:00:03 10.0.0.10 POST /Microsoft-Server-ActiveSync/default.eas - 443 bob 10.2.1.50 <script>alert(1)</script> - 200 0 0 40
            2026-11-20 08:00:04 10.0.0.10 GET /owa/ - 443 - 10.3.4.8 Mozilla/5.0 - 401 0 0 3

            """.Replace("\n", "\r\n", StringComparison.Ordinal));
        var imported = await db.Get<IisLogImporter>().ImportAsync(log, default);
        Assert.Equal(IisImportStatus.Imported, imported.Status);
    }

    private static async Task<TestDatabase> CreateWithDataAsync(StorageProvider provider, Dictionary<string, string?> settings)
    {
        var db = await TestDatabase.CreateAsync(provider, settings, s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(Now)));
        var sitesFile = Path.Combine(db.Directory, "sites.csv");
        await File.WriteAllTextAsync(sitesFile, "subnet,site\n10.2.1,Paris\n10.3.0.0/16,Lyon\n2001:db8::/64,\"" + HostileSite + "\"\n");
        await db.Get<SiteStore>().ImportAsync(sitesFile, default);

        await StoreAsync(db, Snapshots());
        return db;
    }

    /// <summary>The day's snapshots and failures, in the order they are stored (<see cref="Snapshot"/> or <see cref="SnapshotFailure"/>).</summary>
    public static IReadOnlyList<object> Snapshots()
    {
        var items = new List<object>();
        // Local midnight in Paris on 2026-11-20 is 23:00 UTC the day before.
        var start = new DateTime(2026, 11, 19, 23, 0, 0, DateTimeKind.Utc);
        var serverIp = IPAddress.Parse("10.0.0.10");
        for (var hour = 0; hour < 24; hour++)
        {
            var taken = start.AddHours(hour).AddSeconds(7);
            foreach (var server in new[] { "EX01", "EX02", "EX03" })
            {
                if (server == "EX03" && hour is 5 or 6)
                {
                    items.Add(new SnapshotFailure(server, "ssh", taken, "ssh: connect to host ex03 port 22: Connection timed out " + Hostile + new string('A', 10_000), TimeSpan.FromSeconds(30)));
                    continue;
                }

                var rows = new List<TcpConnection>();
                // 10.2.1.50 holds many connections on EX01 only: the load-balancer imbalance and the top client.
                var heavy = server == "EX01" ? 40 + hour : 2;
                for (var i = 0; i < heavy; i++)
                {
                    // Windows-like creation times on EX01: 40 opened just before the first round, then one more each hour.
                    var created = i < 40 ? start.AddSeconds(7 - 30 - i) : start.AddHours(i - 39).AddSeconds(-20);
                    rows.Add(new TcpConnection(serverIp, 443, IPAddress.Parse("10.2.1.50"), 50000 + i, TcpState.Established,
                        server == "EX01" ? created : null));
                }

                for (var client = 1; client <= 12; client++)
                {
                    var address = client <= 6 ? $"10.2.1.{client}" : client <= 10 ? $"10.3.4.{client}" : $"2001:db8::{client}";
                    rows.Add(new TcpConnection(serverIp, 443, IPAddress.Parse(address), 60000 + client, TcpState.Established));
                    if (client % 4 == 0)
                    {
                        rows.Add(new TcpConnection(serverIp, 443, IPAddress.Parse(address), 40000 + client + hour, TcpState.TimeWait));
                    }
                }

                rows.Add(new TcpConnection(serverIp, 443, IPAddress.Parse("172.16.5.5"), 1500, TcpState.CloseWait));
                items.Add(new Snapshot(server, server == "EX01" ? "local" : "ssh", taken, rows, TimeSpan.FromMilliseconds(40)));
            }
        }

        // A snapshot outside the day (Paris) must not count.
        items.Add(new Snapshot("EX01", "local", start.AddDays(1).AddMinutes(10), [new TcpConnection(serverIp, 443, IPAddress.Parse("10.9.9.9"), 1, TcpState.Established)], TimeSpan.Zero));
        return items;
    }
}
