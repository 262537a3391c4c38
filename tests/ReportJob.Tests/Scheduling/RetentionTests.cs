using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportJob.IisLogs;
using ReportJob.NetFlow;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.IisLogs;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed class RetentionTests
{
    /// <summary>The tables the default <c>Scheduling:Retention:Tables</c> purge after 400 days, with their time column.</summary>
    private static readonly (string Table, string Column)[] Aggregates =
    [
        ("flow_exporter", "bucket_start"), ("flow_host", "bucket_start"), ("flow_conversation", "bucket_start"), ("flow_port", "bucket_start"),
        ("flow_site", "bucket_start"), ("flow_quality", "last_export"), ("iis_client_day", "day"), ("iis_client_protocol_day", "day"),
        ("iis_client_agent_day", "day"), ("iis_client_user_day", "day"),
    ];

    /// <summary>
    /// With the default settings, the retention job deletes the flow aggregates, their quality rows and the IIS aggregates
    /// of a capture and a log three years old, keeps those of yesterday's, and keeps both ingest ledgers (an old file
    /// ingested again would otherwise be counted again). The times are read back and compared here, not in SQL.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Retention_DefaultRules_OldFlowAndIisRowsGoRecentOnesAndLedgersStay(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();
        var yesterday = now.AddDays(-1);
        var oldCapture = Path.Combine(db.Directory, "old.pcap");
        var newCapture = Path.Combine(db.Directory, "new.pcap");
        SampleCapture.Write(oldCapture, 500);
        SampleCapture.Write(newCapture, 500, (uint)yesterday.ToUnixTimeSeconds());
        var ingested = await db.Get<FlowIngestor>().IngestFilesAsync([oldCapture, newCapture], default);
        Assert.All(ingested, o => Assert.Equal(IngestStatus.Ingested, o.Status));
        foreach (var day in new[] { new DateTime(2023, 11, 14), yesterday.UtcDateTime.Date })
        {
            var log = IisLogSamples.Write(db.Directory, $"u_ex{day:yyMMdd}.log", IisLogSamples.Lines(
                "#Fields: date time c-ip cs-uri-stem cs-username cs(User-Agent) sc-status",
                $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} 10:00:01 10.2.1.15 /EWS/Exchange.asmx jdoe Outlook 200"));
            Assert.Equal(IisImportStatus.Imported, (await db.Get<IisLogImporter>().ImportAsync(log, default)).Status);
        }

        var cutoff = now.UtcDateTime.AddDays(-400);
        var before = await TimesAsync(db);
        Assert.All(Aggregates, t => Assert.Contains(before[t.Table], time => time < cutoff));
        Assert.All(Aggregates, t => Assert.Contains(before[t.Table], time => time > cutoff));
        var ledgers = await CountAsync(db, "SELECT COUNT(*) FROM ingest_ledger");

        // The job's work as `reportjob run` registers it, with the settings of appsettings.json.
        var settings = db.Get<IConfiguration>().GetSection(SchedulingOptions.Section).Get<SchedulingOptions>()!;
        var retention = new RetentionWork(db.Get<IDbConnectionFactory>(), Options.Create(settings), clock, NullLogger<RetentionWork>.Instance);
        await retention.RunAsync(now, default);

        var after = await TimesAsync(db);
        Assert.All(Aggregates, t => Assert.DoesNotContain(after[t.Table], time => time < cutoff));
        Assert.All(Aggregates, t => Assert.Equal(before[t.Table].Count(time => time > cutoff), after[t.Table].Count));
        Assert.Equal(ledgers, await CountAsync(db, "SELECT COUNT(*) FROM ingest_ledger"));
        Assert.Equal(4, ledgers);
    }

    private static async Task<Dictionary<string, List<DateTime>>> TimesAsync(TestDatabase db)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var times = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
        foreach (var (table, column) in Aggregates)
        {
            var values = await c.QueryAsync<DateTime?>($"SELECT {column} FROM {table}");
            times[table] = [.. values.Select(v => v ?? throw new InvalidOperationException($"{table}.{column} is NULL"))];
        }

        return times;
    }

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>(sql);
    }
}
