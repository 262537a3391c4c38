using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Hosting;
using ReportJob.IisLogs;
using ReportJob.NetFlow;
using ReportJob.Reports;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;

namespace ReportJob.Cli;

/// <summary>
/// The whole pipeline once, on the embedded default: migrate, collect this machine, ingest a NetFlow sample, render
/// today's report and workbook, write the e-mail into the pickup folder; then a generated sample day of four servers in
/// a database of its own (<see cref="DemoSampleDay"/>) through the real importers, rendered as a report of its own so
/// that every section has something to show; and say where everything is.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The days before the sample day the demo fills too (sparsely), for the report's trend.</summary>
    private const int EarlierDays = 13;

    public static Command Create()
    {
        var command = new Command("demo", """
            Run the whole pipeline once on this machine: migrate the database (SQLite under ./data by default), collect a
            snapshot of this machine's connections, ingest a NetFlow v9 sample capture generated for today, render today's
            HTML report and Excel workbook into Reports:OutputPath, and write the e-mail as a .eml file into the pickup
            folder (never sent). Then a SAMPLE DAY of generated data (yesterday, four Exchange servers behind a load
            balancer) goes through the real importers into a database of its own (demo-sample-day.db beside the data)
            and is rendered into Reports:OutputPath/sample-day, so that every section of the report has data.
            Prints the paths.
            """);
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            await output.WriteLineAsync($"1. database: {storage.Provider} ({DescribeStore(storage)}), schema up to date");

            var collector = services.GetRequiredService<SnapshotCollector>();
            var local = services.GetRequiredService<IOptions<SnapshotsOptions>>().Value.Servers
                .Where(s => s.Source == SnapshotSourceKind.Local).Select(s => s.Name).ToList();
            var collected = local.Count == 0 ? [] : await collector.CollectAsync(local, null, token);
            foreach (var c in collected)
            {
                await output.WriteLineAsync($"2. snapshot of {c.Server}: {c.Status}, {c.Rows} connection(s) on ports {string.Join(",", services.GetRequiredService<IOptions<SnapshotsOptions>>().Value.LocalPorts)}{(c.Error is null ? "" : " — " + c.Error)}");
            }

            if (collected.Count == 0)
            {
                await output.WriteLineAsync("2. no Local server configured under Snapshots:Servers: nothing collected");
            }

            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var zone = services.GetRequiredService<IOptions<ReportOptions>>().Value.Zone();
            var today = DayWindow.DayOf(now.UtcDateTime, zone);
            // A sample export of today (ten minutes ago, or the day's start when it is younger), written by the
            // project's own generator: softflowd-shaped NetFlow v9, 3,000 flows.
            var dayStart = DayWindow.For(today, zone).StartUtc;
            var sampleStart = now.UtcDateTime.AddMinutes(-10) < dayStart ? dayStart.AddMinutes(1) : now.UtcDateTime.AddMinutes(-10);
            var sample = Path.Combine(DataFolder(storage), "demo-netflow-v9.pcap");
            Directory.CreateDirectory(Path.GetDirectoryName(sample)!);
            SampleCapture.Write(sample, 3_000, (uint)new DateTimeOffset(sampleStart).ToUnixTimeSeconds());
            var ingested = await services.GetRequiredService<FlowIngestor>().IngestFileAsync(sample, token);
            await output.WriteLineAsync($"3. NetFlow sample {sample}: {ingested.Status}, {ingested.FlowRecords:N0} flow records{(ingested.Error is null ? "" : " — " + ingested.Error)}");

            var runner = services.GetRequiredService<DailyReportRunner>();
            var result = await runner.RunAsync(today, mail: true, token);
            await output.WriteLineAsync($"4. report:   {result.HtmlPath}");
            await output.WriteLineAsync($"   workbook: {result.WorkbookPath}");
            await output.WriteLineAsync($"   e-mail:   {result.MailDelivery}");
            await output.WriteLineAsync($"   index:    {Path.Combine(Path.GetDirectoryName(result.HtmlPath)!, "index.html")}");

            return await RunSampleDayAsync(parse, services, today.AddDays(-1), zone, output, token);
        }, overrides: new Dictionary<string, string?>
        {
            // The demo never sends mail: it writes the message into the pickup folder.
            ["Mail:SmtpHost"] = "",
            ["Mail:Enabled"] = "true",
            ["Mail:To:0"] = "reportjob-demo@localhost",
        }));
        return command;
    }

    /// <summary>
    /// The sample day in a host of its own: the user's settings less the servers, sites, store and mail, so that the
    /// generated servers and subnets never mix with this machine's data.
    /// </summary>
    private static async Task<int> RunSampleDayAsync(ParseResult parse, IServiceProvider real, DateOnly day, TimeZoneInfo zone, TextWriter output, CancellationToken cancellationToken)
    {
        var storage = real.GetRequiredService<IOptions<StorageOptions>>().Value;
        var reports = real.GetRequiredService<IOptions<ReportOptions>>().Value;
        var folder = Path.Combine(DataFolder(storage), "demo-sample-day");
        var database = Path.Combine(DataFolder(storage), "demo-sample-day.db");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        foreach (var f in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
        {
            File.Delete(f);
        }

        var sample = new DemoSampleDay(day, zone, folder);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = "Data Source=" + database,
            ["Storage:MigrateOnStart"] = "true",
            ["Reports:OutputPath"] = Path.Combine(Path.GetFullPath(reports.OutputPath), "sample-day"),
            ["Reports:Title"] = "SAMPLE DAY (generated by reportjob demo)",
            ["Reports:ResolveDnsNames"] = "false",
            ["Reports:TopClients"] = "15",
            ["Reports:ExpectedSnapshotInterval"] = DemoSampleDay.RoundInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Mail:Enabled"] = "false",
            ["Snapshots:TimeZone"] = zone.Id,
            ["Snapshots:LocalPorts:0"] = "443",
        };
        for (var i = 0; i < DemoSampleDay.Servers.Length; i++)
        {
            var (name, addresses) = DemoSampleDay.Servers[i];
            settings[$"Snapshots:Servers:{i}:Name"] = name;
            settings[$"Snapshots:Servers:{i}:Source"] = "Csv";
            for (var j = 0; j < addresses.Length; j++)
            {
                settings[$"Snapshots:Servers:{i}:Addresses:{j}"] = addresses[j];
            }
        }

        if (!parse.GetValue(GlobalOptions.Verbose))
        {
            // A line per imported file would bury the summary lines below.
            settings["Logging:LogLevel:Default"] = "Warning";
        }

        // The routine's one folder for every DAG member: files of several local addresses are split by LocalAddress.
        settings["Snapshots:Servers:0:DropFolder"] = sample.RoutineFolder;
        string[] mine = ["Storage", "Snapshots", "Sites", "Mail", "Status", "Scheduling"];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(real.GetRequiredService<IConfiguration>().AsEnumerable()
                .Where(kv => !mine.Any(m => kv.Key.Equals(m, StringComparison.OrdinalIgnoreCase) || kv.Key.StartsWith(m + ":", StringComparison.OrdinalIgnoreCase))))
            .AddInMemoryCollection(settings)
            .Build();
        using var host = AppHost.CreateBuilder(configuration, parse.GetValue(GlobalOptions.Verbose), real.GetRequiredService<TimeProvider>()).Build();
        await AppHost.StartAsync(host.Services, migrate: true, cancellationToken);
        var services = host.Services;

        await output.WriteLineAsync($"5. SAMPLE DAY {day:yyyy-MM-dd} (generated data: four Exchange servers behind a load balancer) in {database}:");
        var sites = await services.GetRequiredService<SiteStore>().ImportAsync(await sample.WriteSitesAsync(cancellationToken), cancellationToken);
        await output.WriteLineAsync($"   subnet list (the companion script's CSV): {sites} subnets");
        // The days before, with a file every three hours, so that the report's trend section has days to show.
        var (earlierFiles, earlierRows) = (0, 0L);
        for (var d = EarlierDays; d >= 1; d--)
        {
            var (f, r) = await new DemoSampleDay(day.AddDays(-d), zone, folder).WriteRoutineFilesAsync(every: 12, cancellationToken);
            (earlierFiles, earlierRows) = (earlierFiles + f, earlierRows + r);
        }

        var earlier = await services.GetRequiredService<CsvDropFolderImporter>().ImportAsync(null, cancellationToken);
        await output.WriteLineAsync($"   the {EarlierDays} days before, for the trend: {earlierFiles} routine files (every 3 hours), {earlier.Imported} imported ({earlier.Failed} failed), {earlier.Rows:N0} of {earlierRows:N0} rows");
        var (files, rows) = await sample.WriteRoutineFilesAsync(every: 1, cancellationToken);
        var imported = await services.GetRequiredService<CsvDropFolderImporter>().ImportAsync(null, cancellationToken);
        await output.WriteLineAsync($"   the PowerShell routine's CSV files: {files} written, {imported.Imported} imported ({imported.Failed} failed), {imported.Snapshots} snapshots, {imported.Rows:N0} of {rows:N0} rows");
        var iis = await services.GetRequiredService<IisLogImporter>().ImportAsync(sample.WriteIisLog(), cancellationToken);
        await output.WriteLineAsync($"   IIS log: {iis.Status}, {iis.Records:N0} requests");
        var flows = await services.GetRequiredService<FlowIngestor>().IngestFileAsync(sample.WriteNetFlowCapture(), cancellationToken);
        await output.WriteLineAsync($"   NetFlow v9 capture: {flows.Status}, {flows.FlowRecords:N0} flow records{(flows.Error is null ? "" : " — " + flows.Error)}");
        var result = await services.GetRequiredService<DailyReportRunner>().RunAsync(day, mail: false, cancellationToken);
        await output.WriteLineAsync($"   report:   {result.HtmlPath}");
        await output.WriteLineAsync($"   workbook: {result.WorkbookPath}");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return imported.Failed + earlier.Failed > 0 || iis.Status != IisImportStatus.Imported || flows.Error is not null ? ExitCodes.RunFailed : ExitCodes.Ok;
    }

    /// <summary>Beside the SQLite file (./data by default); the temp folder for a server database.</summary>
    private static string DataFolder(StorageOptions storage) =>
        storage.Provider == StorageProvider.Sqlite
            ? Path.GetDirectoryName(Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString).DataSource))!
            : Path.GetTempPath();

    private static string DescribeStore(StorageOptions storage) =>
        storage.Provider == StorageProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString).DataSource
            : "server database";
}
