using System.Globalization;
using ReportJob.Reports;
using ReportJob.Reports.Plots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>The report's section of the last 30 days, from the daily roll-ups: figures, charts and table.</summary>
public sealed class TrendSectionTests
{
    private static readonly DateOnly Day = ReportFixture.Day;

    /// <summary>
    /// The fixture day and the same snapshots a week earlier without EX03: the report of the 20th rolls up the 13th and
    /// 14th (no report ran for them) and shows 30 days, three of them with connections, each with the figures of that
    /// day's own report; EX03 has no value on the 13th; the charts and one table row per day are in the page.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Report_DaysOfTwoWeeks_TrendHasEachDaysOwnFigures(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        await ReportFixture.StoreEarlierWeekAsync(db);
        var builder = db.Get<DailyReportBuilder>();

        var report = await builder.BuildAsync(Day, default);
        var trend = report.Trend!;
        var week = Day.AddDays(-7);
        Assert.Equal(30, trend.Days.Count);
        Assert.Equal((Day.AddDays(-29), Day), (trend.Days[0], trend.Days[^1]));
        Assert.Equal([week, week.AddDays(1), Day], trend.PerDay.Select(d => d.Day));

        var earlier = await builder.BuildAsync(week, default);
        var i = trend.Days.ToList().IndexOf(week);
        var d = trend.PerDay[0];
        Assert.Equal((earlier.Headline.Clients, earlier.Headline.PeakConnections, earlier.Connections.RoundTimes.Count), (d.Clients, d.Peak, d.Rounds));
        Assert.Equal(earlier.Headline.AverageConnections, d.Average, 9);
        Assert.Equal((report.Headline.Clients, report.Headline.PeakConnections), (trend.PerDay[2].Clients, trend.PerDay[2].Peak));
        Assert.Equal(["EX01", "EX02", "EX03"], trend.ServerPeaks.Select(s => s.Name));
        Assert.Equal(earlier.Connections.Balance.Select(b => (double)b.PeakConnections), trend.ServerPeaks.Take(2).Select(s => s.Values[i]));
        Assert.True(double.IsNaN(trend.ServerPeaks[2].Values[i]));
        Assert.Equal(report.Connections.Balance.Select(b => (double)b.PeakConnections), trend.ServerPeaks.Select(s => s.Values[^1]));
        Assert.Equal("10.2.1.50", trend.TopClientPeaks[0].Name);
        Assert.Equal(earlier.Connections.TopClients[0].PeakConnections, trend.TopClientPeaks[0].Values[i]);

        var charts = ReportCharts.For(report, CultureInfo.GetCultureInfo("en-US")).Select(c => c.Id).ToList();
        Assert.Equal(["trend-server-peaks", "trend-clients", "trend-imbalance", "trend-top-clients"], charts.Where(c => c.StartsWith("trend-", StringComparison.Ordinal)));
        var html = await db.Get<ReportWriter>().RenderHtmlAsync(report);
        Assert.Contains("<h2>9. The last 30 days</h2>", html, StringComparison.Ordinal);
        Assert.All(charts.Where(c => c.StartsWith("trend-", StringComparison.Ordinal)), id => Assert.Contains($"id=\"chart-{id}\"", html, StringComparison.Ordinal));
        Assert.Contains($"<td>2026-11-13</td><td class=\"n\">24</td><td class=\"n\">0</td><td class=\"n\">{earlier.Headline.Clients}</td><td class=\"n\">{earlier.Headline.PeakConnections}</td>", html, StringComparison.Ordinal);
        Assert.Equal(27, html.Split("no snapshot</td>").Length - 1);
    }

    /// <summary>One day with connections is no trend yet: the section says so and draws nothing.</summary>
    [Fact]
    public async Task Report_OneDay_SectionSaysATrendNeedsTwoDays()
    {
        await using var db = await ReportFixture.CreateAsync();
        var report = await db.Get<DailyReportBuilder>().BuildAsync(Day, default);

        Assert.Single(report.Trend!.PerDay);
        Assert.DoesNotContain(ReportCharts.For(report, CultureInfo.GetCultureInfo("en-US")), c => c.Id.StartsWith("trend-", StringComparison.Ordinal));
        var html = await db.Get<ReportWriter>().RenderHtmlAsync(report);
        Assert.Contains("A trend needs connection snapshots on two days of the last 30", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-14", "2026-11-20", "14 Nov|15 Nov|16 Nov|17 Nov|18 Nov|19 Nov|20 Nov")]
    [InlineData("2026-10-22", "2026-11-20", "26 Oct|31 Oct|5 Nov|10 Nov|15 Nov|20 Nov")]
    [InlineData("2026-08-23", "2026-11-20", "24 Aug|31 Aug|7 Sep|14 Sep|21 Sep|28 Sep|5 Oct|12 Oct|19 Oct|26 Oct|2 Nov|9 Nov|16 Nov")]
    public void DayTicks_Span_DailyEveryFewDaysOrWeekly(string first, string last, string expected)
    {
        var ticks = AxisTicks.Days(DateOnly.Parse(first, CultureInfo.InvariantCulture), DateOnly.Parse(last, CultureInfo.InvariantCulture));
        Assert.Equal(expected, string.Join("|", ticks.Select(t => t.Label)));
    }
}
