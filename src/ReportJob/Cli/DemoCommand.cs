using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow;
using ReportJob.Reports;
using ReportJob.Snapshots;
using ReportJob.Storage;

namespace ReportJob.Cli;

/// <summary>
/// The whole pipeline once, on the embedded default: migrate, collect this machine, ingest a NetFlow sample, render
/// today's report and workbook, write the e-mail into the pickup folder, and say where everything is.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", """
            Run the whole pipeline once on this machine: migrate the database (SQLite under ./data by default), collect a
            snapshot of this machine's connections, ingest a NetFlow v9 sample capture generated for today, render today's
            HTML report and Excel workbook into Reports:OutputPath, and write the e-mail as a .eml file into the pickup
            folder (never sent). Prints the paths.
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
            return ExitCodes.Ok;
        }, overrides: new Dictionary<string, string?>
        {
            // The demo never sends mail: it writes the message into the pickup folder.
            ["Mail:SmtpHost"] = "",
            ["Mail:Enabled"] = "true",
            ["Mail:To:0"] = "reportjob-demo@localhost",
        }));
        return command;
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
