using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Hosting;
using ReportJob.Snapshots;
using ReportJob.Storage;

namespace ReportJob.Bench;

/// <summary>
/// snapshot-store [--provider sqlite|postgres|sqlserver] [--connection CS] [--rows N]: stores snapshots of N
/// (default 50,000) connections through SnapshotStore.SaveAsync (first-seen lookup and bulk insert in one
/// transaction) and prints rows/s. SQLite defaults to a new file in the temp folder.
/// </summary>
internal static class SnapshotStoreBenchmark
{
    public const string Usage = "[--provider sqlite|postgres|sqlserver] [--connection CS] [--rows N]: store a snapshot of 50,000 connections, rows/s";

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = StorageProvider.Sqlite;
        string? connection = null;
        var rows = 50_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--provider":
                    provider = Enum.Parse<StorageProvider>(args[i + 1], ignoreCase: true);
                    break;
                case "--connection":
                    connection = args[i + 1];
                    break;
                case "--rows":
                    rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
            }
        }

        string? tempDir = null;
        if (connection is null)
        {
            if (provider != StorageProvider.Sqlite)
            {
                Console.Error.WriteLine("--connection is required for " + provider);
                return 2;
            }

            tempDir = Path.Combine(Path.GetTempPath(), "reportjob-bench-" + Guid.NewGuid().ToString("N"));
            connection = "Data Source=" + Path.Combine(tempDir, "bench.db");
        }

        try
        {
            var configuration = AppConfiguration.Build(null, new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider.ToString(),
                ["Storage:ConnectionString"] = connection,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var host = AppHost.CreateBuilder(configuration).Build();
            await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
            var store = host.Services.GetRequiredService<SnapshotStore>();
            var server = "bench-" + Guid.NewGuid().ToString("N")[..8];
            var t0 = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

            await store.SaveAsync(new Snapshot(server + "-warmup", "bench", t0, Connections(1_000, 0), TimeSpan.Zero), CancellationToken.None);
            var rates = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                // Run 0 has no previous snapshot; runs 1 and 2 carry first-seen over for half the rows.
                var snapshot = new Snapshot(server, "bench", t0.AddMinutes(5 * run), Connections(rows, run * rows / 2), TimeSpan.Zero);
                using var self = Process.GetCurrentProcess();
                var cpu0 = self.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                await store.SaveAsync(snapshot, CancellationToken.None);
                sw.Stop();
                self.Refresh();
                var cpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
                var rate = rows / sw.Elapsed.TotalSeconds;
                rates.Add(rate);
                // CPU seconds too: on a shared machine the wall clock also counts the time other processes had the cores.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot-store {provider} run {run + 1}: {rows:N0} rows in {sw.Elapsed.TotalSeconds:0.000} s = {rate:N0} rows/s (this process used {cpu:0.000} CPU s = {rows / cpu:N0} rows per CPU s)"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot-store {provider}: best {rates.Max():N0} rows/s, median {rates.Order().ElementAt(1):N0} rows/s; {PeakMemory.Describe()}"));
        }
        finally
        {
            if (tempDir is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(tempDir, recursive: true);
            }
        }

        return 0;
    }

    /// <summary>Connections to one server on 443 from a spread of client addresses (IPv4, a few IPv6), like an Exchange front end.</summary>
    private static TcpConnection[] Connections(int count, int offset)
    {
        var local = IPAddress.Parse("10.0.0.10");
        var created = new DateTime(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);
        var result = new TcpConnection[count];
        for (var i = 0; i < count; i++)
        {
            var n = i + offset;
            var remote = n % 10 == 0
                ? IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"2001:db8::{n % 65536:x}"))
                : new IPAddress([10, (byte)(2 + (n >> 16 & 0x3F)), (byte)(n >> 8), (byte)n]);
            result[i] = new TcpConnection(local, 443, remote, 1024 + (n % 60000), n % 7 == 0 ? TcpState.TimeWait : TcpState.Established, created.AddSeconds(n % 3600), 4);
        }

        return result;
    }
}
