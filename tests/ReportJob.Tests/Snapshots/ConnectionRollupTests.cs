using System.Net;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Scheduling;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.Reports;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>The daily roll-ups: what the report writes, what a trend reads, days rolled up late or again, kept 400 days.</summary>
public sealed class ConnectionRollupTests
{
    private static readonly DateOnly Day = ReportFixture.Day;

    /// <summary>
    /// The fixture day's report leaves its roll-up: 24 rounds, 72 snapshots of which 2 failed; 10.2.1.50 holds 63
    /// connections on EX01, 2 on EX02 and 2 on EX03 in the last round (67), in all 24 rounds; and every figure is the
    /// report's own.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Report_FixtureDay_RollUpHoldsTheReportsFigures(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(Day, default);

        var trend = await db.Get<ConnectionRollups>().TrendAsync(Day.AddDays(-1), Day, 3, default);

        Assert.Equal([Day.AddDays(-1), Day], trend.Days);
        var day = Assert.Single(trend.PerDay);
        Assert.Equal((Day, "Europe/Paris", 24, 72, 2), (day.Day, day.TimeZone, day.Rounds, day.Snapshots, day.Failed));
        Assert.Equal(report.Connections.ClientDistribution.Sum(b => b.Count), day.Clients);
        Assert.Equal(report.Headline.PeakConnections, day.Peak);
        Assert.Equal(report.Headline.AverageConnections, day.Average, 9);
        Assert.Equal(report.Connections.Balance.Select(b => (b.Server, (double)b.PeakConnections, b.MaxDeviation, (double)b.RoundsFlagged)),
            trend.ServerPeaks.Select((s, i) => (s.Name, s.Values[1], trend.ServerMaxDeviations[i].Values[1], trend.ServerRoundsFlagged[i].Values[1])));
        Assert.All(trend.ServerPeaks, s => Assert.True(double.IsNaN(s.Values[0])));
        Assert.Equal(3, trend.TopClientPeaks.Count);
        Assert.Equal(("10.2.1.50", 67.0), (trend.TopClientPeaks[0].Name, trend.TopClientPeaks[0].Values[1]));
        Assert.Equal(report.Connections.TopClients[0].PeakConnections, trend.TopClientPeaks[0].Values[1]);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(24, await c.ExecuteScalarAsync<int>("SELECT rounds FROM connection_day_client WHERE client = @client", new { client = IPAddress.Parse("10.2.1.50").GetAddressBytes() }));
        Assert.Equal(report.Connections.Sites.Select(s => (s.Site, s.Clients)).Order(),
            (await c.QueryAsync<(string, int)>("SELECT site, clients FROM connection_day_site")).Order());
    }

    /// <summary>Days not rolled up yet are rolled up when asked; a day that gets another snapshot later is rolled up again; others are left alone.</summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task RollUp_MissingAndGrownDays_RolledUpOthersNot(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var rollups = db.Get<ConnectionRollups>();
        var options = db.Get<IOptions<ReportOptions>>().Value;
        var sites = await db.Get<SiteStore>().LoadAsync(default);

        // 2026-11-20 and the one snapshot of the 21st (Paris): two days; the 19th has none.
        Assert.Equal(2, await rollups.RollUpAsync(Day.AddDays(-1), Day.AddDays(1), options.Zone(), options, sites, default));
        Assert.Equal(0, await rollups.RollUpAsync(Day.AddDays(-1), Day.AddDays(1), options.Zone(), options, sites, default));
        var before = await rollups.TrendAsync(Day, Day, 1, default);

        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("EX02", "ssh", new DateTime(2026, 11, 20, 12, 30, 0, DateTimeKind.Utc),
            [.. Enumerable.Range(0, 100).Select(i => new TcpConnection(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse("10.3.9.9"), 20000 + i, TcpState.Established))], TimeSpan.Zero), default);

        Assert.Equal(1, await rollups.RollUpAsync(Day.AddDays(-1), Day.AddDays(1), options.Zone(), options, sites, default));
        var after = await rollups.TrendAsync(Day, Day, 1, default);
        Assert.Equal(before.PerDay[0].Rounds + 1, after.PerDay[0].Rounds);
        Assert.Equal(100, after.TopClientPeaks.Single(c => c.Name == "10.3.9.9").Values[0]);
    }

    /// <summary>With the default retention rules, roll-ups of days more than 400 days old go, newer ones stay.</summary>
    [Fact]
    public async Task Retention_DefaultRules_RollUpsKept400Days()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var rollups = db.Get<ConnectionRollups>();
        var figures = new ConnectionDayFigures(1, 2, 2, [new ServerDayFigures("EX01", 1, 2, 2, 0, 0)], [new ClientDayFigures("10.2.1.5", 1, 2, 2)], [new SiteDayFigures("(unknown)", 1, 1, 2, 2)]);
        var now = new DateTimeOffset(2026, 11, 21, 3, 30, 0, TimeSpan.Zero);
        foreach (var day in new[] { new DateOnly(2025, 10, 16), new DateOnly(2025, 10, 18), new DateOnly(2026, 11, 20) })
        {
            await rollups.SaveAsync(day, "UTC", 1, 0, figures, default);
        }

        var settings = db.Get<IConfiguration>().GetSection(SchedulingOptions.Section).Get<SchedulingOptions>()!;
        await new RetentionWork(db.Get<IDbConnectionFactory>(), Options.Create(settings), new FixedTimeProvider(now), NullLogger<RetentionWork>.Instance).RunAsync(now, default);

        var trend = await rollups.TrendAsync(new DateOnly(2025, 10, 1), new DateOnly(2026, 11, 30), 1, default);
        Assert.Equal([new DateOnly(2025, 10, 18), new DateOnly(2026, 11, 20)], trend.PerDay.Select(d => d.Day));
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        foreach (var table in new[] { "connection_day_server", "connection_day_site", "connection_day_client" })
        {
            Assert.Equal(2, await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
        }
    }
}
