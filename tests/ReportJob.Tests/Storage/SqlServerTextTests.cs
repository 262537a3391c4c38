using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using ReportJob.Hosting;
using ReportJob.IisLogs;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Reports;
using ReportJob.Scheduling;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Storage;

/// <summary>
/// No SQL Server engine runs here, so every T-SQL text is at least parsed by Microsoft's own parser (ScriptDom): each
/// <c>sql/sqlserver</c> script, batch by batch as the migrator sends it, and each query text the code sends with
/// <c>Storage:Provider</c> SqlServer, recorded by driving every store and query class over a recording connection.
/// </summary>
public sealed partial class SqlServerTextTests(ITestOutputHelper output)
{
    [Fact]
    public void Scripts_EveryBatch_ParsesAsTSql()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepoPaths.Root, "sql", "sqlserver"), "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.True(scripts.Count >= 6, string.Join(", ", scripts));
        var failures = scripts.SelectMany(s => GoLine().Split(File.ReadAllText(s)).Where(b => !string.IsNullOrWhiteSpace(b)).Select(b => (Path.GetFileName(s), b)))
            .SelectMany(b => Errors(b.Item2).Select(e => $"{b.Item1}: {e}"))
            .ToList();
        Assert.Empty(failures);
    }

    [Fact]
    public async Task QueryTexts_EverySqlServerTextTheCodeSends_ParsesAsTSql()
    {
        var recorder = new RecordingConnectionFactory();
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var configuration = AppConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "SqlServer",
            ["Storage:ConnectionString"] = "Server=127.0.0.1,1;Database=reportjob;Encrypt=false",
            ["Logging:LogLevel:Default"] = "None",
            ["NetFlow:InboxPath"] = Path.Combine(dir, "netflow"),
            ["IisLogs:InboxPath"] = Path.Combine(dir, "iis"),
            ["Scheduling:Retention:Tables:0:Table"] = "snapshot",
            ["Scheduling:Retention:Tables:0:TimeColumn"] = "taken_at",
            ["Scheduling:Retention:Tables:0:Days"] = "35",
        });
        var builder = AppHost.CreateBuilder(configuration);
        builder.Services.AddScheduling(configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDbConnectionFactory>(recorder));
        using var host = builder.Build();
        var s = host.Services;
        var t0 = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var day = new DateOnly(2026, 11, 20);
        var capture = Path.Combine(dir, "sample.pcap");
        SampleCapture.Write(capture, 200);
        var csv = Path.Combine(dir, "ex01.csv");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "snapshots-csv", "ex01-en-US-utf16.csv"), csv);
        var connections = new[] { new TcpConnection(IPAddress.Parse("10.0.0.5"), 443, IPAddress.Parse("10.2.1.15"), 50123, TcpState.Established) };

        var steps = new (string Step, Func<Task> Run)[]
        {
            ("SchemaMigrator.MigrateAsync", () => s.GetRequiredService<SchemaMigrator>().MigrateAsync(default)),
            ("SchemaMigrator.AppliedVersionsAsync", () => s.GetRequiredService<SchemaMigrator>().AppliedVersionsAsync(default)),
            ("SnapshotStore.SaveAsync", () => s.GetRequiredService<SnapshotStore>().SaveAsync(new Snapshot("ex01", "ssh", t0, connections, TimeSpan.FromSeconds(1)), default)),
            ("SnapshotStore.SaveFailureAsync", () => s.GetRequiredService<SnapshotStore>().SaveFailureAsync(new SnapshotFailure("ex02", "ssh", t0, "refused", TimeSpan.FromSeconds(1)), default)),
            ("ConnectionQueries.FindRoundAtAsync", () => s.GetRequiredService<ConnectionQueries>().FindRoundAtAsync(t0, default)),
            ("ConnectionQueries.FindRoundsAsync", () => s.GetRequiredService<ConnectionQueries>().FindRoundsAsync(t0, t0.AddHours(1), default)),
            ("ConnectionQueries.LoadRoundAsync", () => s.GetRequiredService<ConnectionQueries>().LoadRoundAsync(new ConnectionRound(t0, [1, 2], ["ex01", "ex02"]), default)),
            ("ConnectionQueries.CollectionHealthAsync", () => s.GetRequiredService<ConnectionQueries>().CollectionHealthAsync(default)),
            ("CsvSnapshotImporter.ImportFileAsync", () => s.GetRequiredService<CsvSnapshotImporter>().ImportFileAsync(csv, new CsvImportTarget(null, TimeZoneInfo.Utc), move: false, default)),
            ("IngestLedger.FindAsync", () => s.GetRequiredService<IngestLedger>().FindAsync(new string('0', 64), default)),
            ("IngestLedger.RecordAsync", () => WithTransaction(recorder, (c, tx) => IngestLedger.RecordAsync(c, tx, new LedgerEntry(new string('0', 64), "netflow", "x.pcap", 1, 1, t0), default))),
            ("FlowIngestor.IngestFileAsync", () => s.GetRequiredService<FlowIngestor>().IngestFileAsync(capture, default)),
            ("FlowStore.LoadTemplatesAsync", () => WithTransaction(recorder, (c, tx) => FlowStore.LoadTemplatesAsync(c, tx, default))),
            ("FlowStore.SaveTemplatesAsync", () => WithTransaction(recorder, (c, tx) => FlowStore.SaveTemplatesAsync(c, tx, new Dictionary<FlowAddress, byte[]> { [FlowAddress.FromIPv4(0x0A000001)] = [1, 2] }, t0, default))),
            ("FlowQueries.SummaryAsync", () => s.GetRequiredService<FlowQueries>().SummaryAsync(t0, t0.AddDays(1), default)),
            ("FlowQueries.SummaryAsync (all)", () => s.GetRequiredService<FlowQueries>().SummaryAsync(null, null, default)),
            ("FlowQueries.QualityAsync", () => s.GetRequiredService<FlowQueries>().QualityAsync(t0, t0.AddDays(1), default)),
            ("FlowQueries.TopAsync", async () =>
            {
                foreach (var by in Enum.GetValues<FlowTopBy>())
                {
                    foreach (var metric in Enum.GetValues<FlowMetric>())
                    {
                        await s.GetRequiredService<FlowQueries>().TopAsync(by, metric, t0, t0.AddDays(1), 10, default);
                        await s.GetRequiredService<FlowQueries>().TopAsync(by, metric, null, null, 10, default);
                    }
                }
            }),
            ("FlowQueries.SiteBytesAsync", () => s.GetRequiredService<FlowQueries>().SiteBytesAsync(t0, t0.AddDays(1), default)),
            ("FlowQueries.ExporterSeriesAsync", () => s.GetRequiredService<FlowQueries>().ExporterSeriesAsync(t0, t0.AddDays(1), default)),
            ("FlowQueries.ScannersAsync", () => s.GetRequiredService<FlowQueries>().ScannersAsync(t0, t0.AddDays(1), new ScanOptions(), 10, default)),
            ("IisStore.FindFileAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<IisStore>().FindFileAsync(c, tx, "key", default))),
            ("IisStore.SaveFileAsync (new)", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<IisStore>().SaveFileAsync(c, tx, new IisLogFileState("key", "u_ex261120.log", 10, new string('0', 64), "#Fields: date"), null, t0, default))),
            ("IisStore.SaveFileAsync (grown)", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<IisStore>().SaveFileAsync(c, tx, new IisLogFileState("key", "u_ex261120.log", 20, new string('0', 64), "#Fields: date"), 10, t0, default))),
            ("IisQueries.DaysAsync", () => s.GetRequiredService<IisQueries>().DaysAsync(default)),
            ("IisQueries.TopClientsAsync", () => s.GetRequiredService<IisQueries>().TopClientsAsync(day, 10, default)),
            ("IisQueries.ClientsAsync", () => s.GetRequiredService<IisQueries>().ClientsAsync(day, ["10.2.1.15", "10.2.1.16"], default)),
            ("IisQueries.ProtocolsAsync", () => s.GetRequiredService<IisQueries>().ProtocolsAsync(day, default)),
            ("IisQueries.SitesAsync", () => s.GetRequiredService<IisQueries>().SitesAsync(day, default)),
            ("SiteStore.LoadAsync", () => s.GetRequiredService<SiteStore>().LoadAsync(default)),
            ("SiteStore.ImportAsync", () => s.GetRequiredService<SiteStore>().ImportAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "snapshots-csv", "sites.csv"), default)),
            ("ConnectionDayReader.SnapshotsAsync", () => s.GetRequiredService<ConnectionDayReader>().SnapshotsAsync(t0.Date, t0.Date.AddDays(1), default)),
            ("ConnectionDayReader.ReadAsync", () => s.GetRequiredService<ConnectionDayReader>().ReadAsync(
                t0.Date, t0.Date.AddDays(1), new ConnectionDayAggregator(TimeZoneInfo.Utc, new ReportOptions()), default)),
            ("ConnectionQueries.ReadRoundsAsync", async () =>
            {
                await foreach (var _ in s.GetRequiredService<ConnectionQueries>().ReadRoundsAsync([new ConnectionRound(t0, [1, 2], ["ex01", "ex02"])], default))
                {
                }
            }),
            ("SnapshotStore.ExistsAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<SnapshotStore>().ExistsAsync(c, tx, "ex01", t0, default))),
            ("ConnectionRunStore.LockServerAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().LockServerAsync(c, tx, "ex01", default))),
            ("ConnectionRunStore.SetVersionAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().SetVersionAsync(c, tx, 1, 2, 3, default))),
            ("ConnectionRunStore.SetOpenAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().SetOpenAsync(c, tx, 1, RunTime.Key(t0), [], default))),
            ("ConnectionRunStore.RunsAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().RunsAsync(c, tx, 1, RunTime.Key(t0.Date), RunTime.Key(t0.Date.AddDays(1)), default))),
            ("ConnectionRunStore.DeleteAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().DeleteAsync(c, tx, 1, RunTime.Key(t0.Date), RunTime.Key(t0.Date.AddDays(1)), default))),
            ("ConnectionRunStore.SnapshotTimesAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().SnapshotTimesAsync(c, tx, "ex01", RunTime.Key(t0.Date), RunTime.Key(t0), default))),
            ("ConnectionRunStore.PreviousSnapshotAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().PreviousSnapshotAsync(c, tx, "ex01", RunTime.Key(t0), default))),
            ("ConnectionRunStore.NextSnapshotAsync", () => WithTransaction(recorder, (c, tx) => s.GetRequiredService<ConnectionRunStore>().NextSnapshotAsync(c, tx, "ex01", RunTime.Key(t0), default))),
            ("ConnectionRollups.SaveAsync", () => s.GetRequiredService<ConnectionRollups>().SaveAsync(day, "UTC", 2, 1,
                new ConnectionDayFigures(1, 1, 1, [new ServerDayFigures("ex01", 1, 1, 1, 0, 0)], [], [new SiteDayFigures("(unknown)", 1, 1, 1, 1)]), default)),
            ("ConnectionRollups.TrendAsync", () => s.GetRequiredService<ConnectionRollups>().TrendAsync(day.AddDays(-29), day, 10, default)),
            ("ConnectionRollups.RollUpAsync", () => s.GetRequiredService<ConnectionRollups>().RollUpAsync(day, day, TimeZoneInfo.Utc, new ReportOptions(), SiteMap.Empty, default)),
            ("RetentionWork.RunAsync", () => new RetentionWork(recorder, s.GetRequiredService<IOptions<SchedulingOptions>>(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RetentionWork>.Instance).RunAsync(t0, default)),
            ("JobRunLock.TryTakeAsync", async () =>
            {
                await using var held = await new JobRunLock(recorder, s.GetRequiredService<IOptions<StorageOptions>>(), TimeProvider.System).TryTakeAsync(JobNames.CollectSnapshots, default);
            }),
        };

        foreach (var (step, run) in steps)
        {
            recorder.Step = step;
            try
            {
                await run();
            }
            catch (Exception ex)
            {
                // The recording connection answers nothing, and SqlBulkCopy needs a real SqlConnection: a path may end
                // early. What it sent until then is kept; each step must have sent something (below).
                output.WriteLine($"{step}: ended with {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            }
        }

        // The upserts that follow a bulk copy into a staging table (a real SqlConnection's path): their texts directly.
        foreach (var table in IisStore.StageTables)
        {
            recorder.Texts.Add(("IisStore stage " + table.Stage, table.CreateStage(StorageProvider.SqlServer, "#" + table.Stage)));
            recorder.Texts.Add(("IisStore merge " + table.Stage, table.Merge(StorageProvider.SqlServer, "#" + table.Stage)));
        }

        // The runs closed or extended through a staging table (filled by SqlBulkCopy): its texts directly.
        var (_, createStage, moveLast) = ConnectionRunStore.MoveLastTexts(StorageProvider.SqlServer);
        recorder.Texts.Add(("ConnectionRunStore stage", createStage));
        recorder.Texts.Add(("ConnectionRunStore move last", moveLast));

        var silent = steps.Select(x => x.Step).Where(step => !recorder.Texts.Any(t => t.Step == step)).ToList();
        Assert.Empty(silent);
        var distinct = recorder.Texts.DistinctBy(t => t.Sql).ToList();
        output.WriteLine($"{recorder.Texts.Count} texts sent, {distinct.Count} distinct, from {steps.Length} steps and {IisStore.StageTables.Count} staging tables");
        var failures = distinct.SelectMany(t => Errors(t.Sql).Select(e => $"{t.Step}: {e}\n{t.Sql}")).ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(distinct.Count >= 60, $"only {distinct.Count} distinct texts recorded");
        Assert.Contains(distinct, t => t.Sql.Contains("OUTPUT INSERTED.id", StringComparison.Ordinal));
        Assert.Contains(distinct, t => t.Sql.Contains("sp_getapplock", StringComparison.Ordinal));
        Assert.Contains(distinct, t => t.Sql.Contains("MERGE iis_client_day", StringComparison.Ordinal));
        Assert.Contains(distinct, t => t.Sql.Contains("FETCH NEXT", StringComparison.Ordinal));
    }

    /// <summary>The parser's errors for a text (none when it is valid T-SQL for SQL Server 2022).</summary>
    private static IEnumerable<string> Errors(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}");
    }

    private static async Task WithTransaction(RecordingConnectionFactory recorder, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> body)
    {
        await using var c = await recorder.OpenAsync(default);
        await using var tx = await c.BeginTransactionAsync();
        await body(c, tx);
    }

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}
