using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportJob.Hosting;
using ReportJob.Reports;
using ReportJob.Snapshots;

namespace ReportJob.Bench;

/// <summary>
/// report [--rounds 288] [--servers 4] [--connections 10000] [--clients 20000] [--flows 10000000] [--db FILE]: fills an
/// SQLite file with one day of snapshots and flows (unless --db points at one already filled), then renders that day's HTML
/// report, workbook and e-mail (into a pickup folder) and prints seconds per stage, in all, and the peak working set of
/// the render alone (VmHWM is reset before it), with the load average before and after: the machine is shared.
/// </summary>
internal static class ReportBenchmark
{
    public const string Usage = "[--rounds 288] [--servers 4] [--connections 10000] [--clients 20000] [--flows 10000000] [--db FILE]: render one day (HTML, workbook, e-mail), seconds per stage and peak memory";

    private static readonly DateOnly Day = new(2026, 11, 20);

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = 288, servers = 4, connections = 10_000, clients = 20_000, flows = 10_000_000;
        string? db = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--servers": servers = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--clients": clients = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--flows": flows = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--db": db = value; break;
                default:
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
            }
        }

        var dir = Path.Combine(Path.GetTempPath(), "reportjob-report-bench");
        // The day's capture is written here also when --db names a file elsewhere.
        Directory.CreateDirectory(dir);
        db ??= Path.Combine(dir, $"day-{rounds}x{servers}x{connections}.db");
        var fill = !File.Exists(db);
        using var host = AppHost.CreateBuilder(AppConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "Data Source=" + db,
            ["Reports:OutputPath"] = Path.Combine(dir, "reports"),
            ["Reports:ResolveDnsNames"] = "false",
            ["Snapshots:Servers:0:Name"] = "EX00",
            ["Mail:To:0"] = "bench@example.com",
            ["Mail:PickupDirectory"] = Path.Combine(dir, "mail"),
            ["Logging:LogLevel:Default"] = "Warning",
        })).Build();
        await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);

        if (fill)
        {
            var watch = Stopwatch.StartNew();
            var store = host.Services.GetRequiredService<SnapshotStore>();
            var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
            var random = new Random(42);
            var local = IPAddress.Parse("10.0.0.10");
            var addresses = Enumerable.Range(0, clients).Select(i => new IPAddress(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i })).ToArray();
            for (var r = 0; r < rounds; r++)
            {
                var taken = start.AddMinutes(r * (1440.0 / rounds));
                for (var s = 0; s < servers; s++)
                {
                    var rows = new TcpConnection[connections];
                    for (var c = 0; c < connections; c++)
                    {
                        // Skewed: a few clients hold many connections, most hold a handful.
                        var client = (int)(clients * Math.Pow(random.NextDouble(), 3));
                        rows[c] = new TcpConnection(local, 443, addresses[client], 1024 + ((c * 7 + r) % 64000),
                            c % 10 == 0 ? TcpState.TimeWait : TcpState.Established, taken.AddSeconds(-random.Next(1, 86_400)));
                    }

                    await store.SaveAsync(new Snapshot($"EX{s:00}", "bench", taken.AddSeconds(s), rows, TimeSpan.Zero), CancellationToken.None);
                }

                if (r % 24 == 0)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {r + 1}/{rounds} rounds ({watch.Elapsed.TotalSeconds:F0} s)"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {rounds} rounds × {servers} servers × {connections:N0} connections = {(long)rounds * servers * connections:N0} rows in {watch.Elapsed.TotalSeconds:F1} s → {db}"));

            if (flows > 0)
            {
                // The day's flows: a softflowd-shaped v9 capture exported through the day (a second per 100 packets
                // of 30 records), ingested through the normal path so the report reads real aggregates.
                watch.Restart();
                var capture = Path.Combine(dir, "day-flows.pcap");
                ReportJob.NetFlow.SampleCapture.Write(capture, flows, (uint)new DateTimeOffset(start.AddMinutes(1)).ToUnixTimeSeconds());
                var outcome = await host.Services.GetRequiredService<ReportJob.NetFlow.FlowIngestor>().IngestFileAsync(capture, CancellationToken.None);
                File.Delete(capture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingested {outcome.FlowRecords:N0} flows ({outcome.Status}, {outcome.Rows:N0} aggregate rows) in {watch.Elapsed.TotalSeconds:F1} s"));
            }
        }

        // Filling the file in this process leaves its memory committed; give it back so the peak is the render's own.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var loadBefore = LoadAverage();
        PeakMemory.Reset();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var render = Stopwatch.StartNew();
        var result = await host.Services.GetRequiredService<DailyReportRunner>().RunAsync(Day, mail: true, CancellationToken.None);
        render.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render {Day:yyyy-MM-dd}: {render.Elapsed.TotalSeconds:F1} s wall, {cpuUsed.TotalSeconds:F1} s CPU, {PeakMemory.Describe()} (targets: < 30 s, < 512 MB)"));
        foreach (var (stage, elapsed) in result.Timings.Stages)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-34} {elapsed.TotalSeconds,6:F2} s"));
        }

        Console.WriteLine($"  load average before {loadBefore}, after {LoadAverage()} ({Environment.ProcessorCount} cores)");
        Console.WriteLine($"  {result.HtmlPath} ({new FileInfo(result.HtmlPath).Length:N0} bytes)");
        Console.WriteLine($"  {result.WorkbookPath} ({new FileInfo(result.WorkbookPath).Length:N0} bytes)");
        Console.WriteLine($"  {result.MailDelivery}");
        return 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), so that a figure can be read against what else ran.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
