using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReportJob.Hosting;
using ReportJob.Reports;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.Snapshots;

namespace ReportJob.Bench;

/// <summary>
/// report [--rounds 288] [--servers 4] [--connections 10000] [--clients 20000] [--flows 10000000] [--db FILE | --postgres CS]:
/// stores one day of connection snapshots (<see cref="BenchDay"/>) snapshot by snapshot as the collector does and prints
/// the connection-rounds stored per second and the bytes on disk per connection-round; then ingests the day's flows and
/// renders the day's HTML report, workbook and e-mail (into a pickup folder), printing seconds per stage, in all, and
/// the peak working set of the render alone (VmHWM is reset before it), with the load average before and after: the
/// machine is shared. --db reuses a file filled before (the fill is skipped); --postgres runs on a new database of that
/// server, dropped at the end.
/// </summary>
internal static class ReportBenchmark
{
    public const string Usage = "[--rounds 288] [--servers 4] [--connections 10000] [--clients 20000] [--flows 10000000] [--db FILE | --postgres CS]: store one day of snapshots (connection-rounds/s, bytes per connection-round), then render it (HTML, workbook, e-mail): seconds per stage and peak memory";

    private static readonly DateOnly Day = new(2026, 11, 20);

    /// <summary>The tables that hold connections, before and after they were stored as runs: their size is the figure.</summary>
    private static readonly string[] ConnectionTables = ["snapshot", "connection", "snapshot_server", "connection_run"];

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = 288, servers = 4, connections = 10_000, clients = 20_000, flows = 10_000_000;
        string? db = null, postgres = null;
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
                case "--postgres": postgres = value; break;
                default:
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
            }
        }

        // Every file of the run goes into a folder of its own, also with --db (the flow capture is written there before
        // it is ingested); runs side by side do not share one.
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-report-bench", "run-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        string provider, connectionString;
        string? pgDatabase = null;
        if (postgres is not null)
        {
            pgDatabase = "rj_bench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(postgres, $"CREATE DATABASE {pgDatabase}");
            provider = "Postgres";
            connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = pgDatabase }.ConnectionString;
        }
        else
        {
            db ??= Path.Combine(dir, $"day-{rounds}x{servers}x{connections}-{Guid.NewGuid().ToString("N")[..8]}.db");
            provider = "Sqlite";
            connectionString = "Data Source=" + db;
        }

        var fill = postgres is not null || !File.Exists(db);
        var generated = !args.Contains("--db");
        try
        {
            using var host = AppHost.CreateBuilder(AppConfiguration.Build(null, new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider,
                ["Storage:ConnectionString"] = connectionString,
                ["Reports:OutputPath"] = Path.Combine(dir, "reports"),
                ["Reports:ResolveDnsNames"] = "false",
                ["Snapshots:Servers:0:Name"] = "EX00",
                ["Mail:To:0"] = "bench@example.com",
                ["Mail:PickupDirectory"] = Path.Combine(dir, "mail"),
                ["Logging:LogLevel:Default"] = "Warning",
            })).Build();
            await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
            var factory = host.Services.GetRequiredService<IDbConnectionFactory>();
            Console.WriteLine($"report benchmark on {provider}; load average {LoadAverage()} ({Environment.ProcessorCount} cores)");

            if (fill)
            {
                // In a method of its own: the generator and what the store kept are garbage once it returns, as in a
                // process that only renders; the render's peak is its own.
                await FillAsync(host.Services, factory, db, rounds, servers, connections, clients, flows, dir);
            }

            // Filling the store in this process leaves its memory committed; give it back so the peak is the render's own.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var loadBefore = LoadAverage();
            PeakMemory.Reset();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var sampler = new PeakMemory.Sampler();
            var render = Stopwatch.StartNew();
            var result = await host.Services.GetRequiredService<DailyReportRunner>().RunAsync(Day, mail: true, CancellationToken.None);
            render.Stop();
            var peak = sampler.Stop();
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"render {Day:yyyy-MM-dd}: {render.Elapsed.TotalSeconds:F2} s wall, {cpuUsed.TotalSeconds:F2} s CPU, {PeakMemory.Describe()} (targets on SQLite: < 3 s, < 256 MB)"));
            Console.WriteLine("  " + peak);
            foreach (var (stage, elapsed) in result.Timings.Stages)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-34} {elapsed.TotalSeconds,6:F2} s"));
            }

            Console.WriteLine($"  load average before {loadBefore}, after {LoadAverage()} ({Environment.ProcessorCount} cores)");
            Console.WriteLine($"  {result.HtmlPath} ({new FileInfo(result.HtmlPath).Length:N0} bytes)");
            Console.WriteLine($"  {result.WorkbookPath} ({new FileInfo(result.WorkbookPath).Length:N0} bytes)");
            Console.WriteLine($"  {result.MailDelivery}");
        }
        finally
        {
            if (pgDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgres!, $"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)");
            }

            // A day of snapshots and flows is hundreds of MB: the file this run made goes (pass --db FILE to keep one).
            if (generated)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        return 0;
    }

    /// <summary>Stores the generated day snapshot by snapshot and ingests its flows, printing the store's figures.</summary>
    private static async Task FillAsync(IServiceProvider services, IDbConnectionFactory factory, string? db, int rounds, int servers, int connections, int clients, int flows, string dir)
    {
        var empty = await ConnectionBytesAsync(factory, db);
        var day = new BenchDay(Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), rounds, servers, connections, clients);
        var store = services.GetRequiredService<SnapshotStore>();
        var storing = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        using var self = Process.GetCurrentProcess();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var snapshot in day.Round(r))
            {
                self.Refresh();
                var cpu0 = self.TotalProcessorTime;
                var t0 = Stopwatch.GetTimestamp();
                await store.SaveAsync(snapshot, CancellationToken.None);
                storing += Stopwatch.GetElapsedTime(t0);
                self.Refresh();
                cpu += self.TotalProcessorTime - cpu0;
            }

            if (r % 48 == 47)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored {r + 1}/{rounds} rounds ({watch.Elapsed.TotalSeconds:F0} s)"));
            }
        }

        var bytes = await ConnectionBytesAsync(factory, db) - empty;
        // Wall time of the saves alone (the day's generation is left out), and this process's CPU time in them: on a
        // shared machine the wall clock also counts the time other processes had the cores.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stored {day.ConnectionRounds:N0} connection-rounds ({rounds} rounds × {servers} servers × {connections:N0}; {BenchDay.Churn:P0} closing and opening and {BenchDay.StateChanges:P0} changing state per round) in {storing.TotalSeconds:F1} s = {day.ConnectionRounds / storing.TotalSeconds:N0} connection-rounds/s ({cpu.TotalSeconds:F1} CPU s = {day.ConnectionRounds / cpu.TotalSeconds:N0} per CPU s) (target ≥ 1,000,000/s on SQLite)"));
        var breakdown = await BreakdownAsync(factory);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"on disk: {bytes:N0} bytes for the day's connections = {(double)bytes / day.ConnectionRounds:F1} bytes per connection-round (target ≤ 10 on SQLite){breakdown}"));

        if (flows > 0)
        {
            // The day's flows: a softflowd-shaped v9 capture exported through the day (a second per 100 packets
            // of 30 records), ingested through the normal path so the report reads real aggregates.
            watch.Restart();
            var capture = Path.Combine(dir, $"day-flows-{Environment.ProcessId}.pcap");
            ReportJob.NetFlow.SampleCapture.Write(capture, flows, (uint)new DateTimeOffset(day.StartUtc.AddMinutes(1)).ToUnixTimeSeconds());
            var outcome = await services.GetRequiredService<ReportJob.NetFlow.FlowIngestor>().IngestFileAsync(capture, CancellationToken.None);
            File.Delete(capture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingested {outcome.FlowRecords:N0} flows ({outcome.Status}, {outcome.Rows:N0} aggregate rows) in {watch.Elapsed.TotalSeconds:F1} s"));
        }
    }

    /// <summary>
    /// SQLite: the file's size once the write-ahead log is checkpointed into it (the whole store, so measure it before the
    /// flows go in). PostgreSQL: the tables that hold connections, with their indexes and TOAST.
    /// </summary>
    private static async Task<long> ConnectionBytesAsync(IDbConnectionFactory factory, string? file)
    {
        await using var c = await factory.OpenAsync(CancellationToken.None);
        if (factory.Provider == StorageProvider.Sqlite)
        {
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            return new FileInfo(file!).Length;
        }

        return await c.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(@names)",
            new { names = ConnectionTables });
    }

    /// <summary>What each table and index of the connections takes (SQLite's dbstat, PostgreSQL's relation sizes), where available.</summary>
    private static async Task<string> BreakdownAsync(IDbConnectionFactory factory)
    {
        await using var c = await factory.OpenAsync(CancellationToken.None);
        try
        {
            var sql = factory.Provider == StorageProvider.Sqlite
                ? "SELECT name AS Name, SUM(pgsize) AS Bytes FROM dbstat GROUP BY name ORDER BY 2 DESC"
                : "SELECT c.relname AS Name, pg_total_relation_size(c.oid) AS Bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(@names) ORDER BY 2 DESC";
            var rows = await c.QueryAsync<(string Name, long Bytes)>(sql, new { names = ConnectionTables });
            return "; " + string.Join(", ", rows.Where(r => r.Bytes >= 1 << 20).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.Bytes / 1048576.0:F1} MB")));
        }
        catch (DbException)
        {
            return "";
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await c.ExecuteAsync(sql);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), so that a figure can be read against what else ran.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
