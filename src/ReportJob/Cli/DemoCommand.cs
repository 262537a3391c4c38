using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

            var runner = services.GetRequiredService<DailyReportRunner>();
            var today = DayWindow.DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
                services.GetRequiredService<IOptions<ReportOptions>>().Value.Zone());
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

    private static string DescribeStore(StorageOptions storage) =>
        storage.Provider == StorageProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString).DataSource
            : "server database";
}
