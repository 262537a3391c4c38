using Microsoft.Extensions.DependencyInjection;
using ReportJob.Reports;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

public sealed class DailyReportTests
{
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Build_FixtureDay_FiguresAsComputedByHand(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        var c = report.Connections;

        Assert.Equal(["EX01", "EX02", "EX03"], c.Servers);
        Assert.Equal(24, c.RoundTimes.Count);
        // Clients: 10.2.1.50, 12 numbered clients, 172.16.5.5 = 14 (the snapshot after local midnight is not in the day).
        Assert.Equal(14, report.Headline.Clients);
        // 10.2.1.50 at hour 23: EX01 40+23 = 63, EX02 2, EX03 2 → 67 at once.
        var top = c.TopClients[0];
        Assert.Equal(("10.2.1.50", "Paris", 67L, 3), (top.Address, top.Site, top.PeakConnections, top.Servers));
        // Per server and round: 12 established + 3 TimeWait (clients 4, 8, 12) + 1 CloseWait + heavy.
        // EX02 at any hour: 2 + 12 + 3 + 1 = 18.
        Assert.All(c.ConnectionsPerServer[1].Values, v => Assert.Equal(18, v));
        Assert.True(double.IsNaN(c.ConnectionsPerServer[2].Values[5]));
        // EX01 is overloaded in every complete round: flagged in 22 rounds (EX03 failed at 05:00 and 06:00).
        Assert.Equal(22, c.Balance[0].RoundsFlagged);
        // Sites: Paris = 10.2.1.1-6 and .50 (7 clients), Lyon 10.3.4.7-10 (4), the hostile-named 2001:db8::/64 (::11, ::12),
        // unknown: 172.16.5.5 (1).
        Assert.Equal([("Paris", 7), ("Lyon", 4), (ReportFixture.HostileSite, 2), ("(unknown)", 1)], c.Sites.Select(s => (s.Site, s.Clients)));
        // Lyon clients hold one connection on each server, and clients 8 also one TimeWait → max 6 at once (3 + 3).
        Assert.Equal(6, c.Sites[1].MaxConnectionsPerClient);
        // Data quality: 24 expected per server, EX03 took 22, failed 2.
        var ex03 = report.Quality.Servers.Single(s => s.Server == "EX03");
        Assert.Equal((24, 22, 2), (ex03.Expected, ex03.Taken, ex03.Failed));
        Assert.Contains(report.Headline.Alerts, a => a.StartsWith("Load balance: EX01", StringComparison.Ordinal));
        // Bursts: EX01's 40 first connections were created 22:58:58–22:59:37 UTC (38 in minute 22:59, 2 in 22:58),
        // then one per hour: only minute 22:59 UTC (23:59 in Paris) reaches the threshold of 5.
        var burst = Assert.Single(c.Bursts);
        Assert.Equal((38L, new DateTime(2026, 11, 19, 23, 59, 0)), (burst.Created, burst.MinuteLocal));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Render_FixtureDay_MatchesGoldenHtml(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        var html = await db.Get<ReportWriter>().RenderHtmlAsync(report);
        // Each chart is in the page as drawn (and checked against its own golden file by ChartTests); here it stands as a marker.
        var charts = ReportJob.Reports.Plots.ReportCharts.For(report, System.Globalization.CultureInfo.GetCultureInfo("en-US"));
        Assert.Equal(["states-per-server", "states-share", "states-per-hour", "per-server", "client-distribution", "top-clients", "created-per-minute", "source-ports", "site-clients"],
            charts.Select(c => c.Id));
        foreach (var chart in charts)
        {
            var svg = chart.Svg();
            Assert.Contains(svg, html, StringComparison.Ordinal);
            html = html.Replace(svg, $"<svg id=\"chart-{chart.Id}\"><!-- Golden/charts/{chart.Id}.svg --></svg>", StringComparison.Ordinal);
        }

        Golden.Match("report-2026-11-20.html", html);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Run_FixtureDay_WritesReportIndexWorkbookAndMail(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: true, default);

        var dir = Path.GetDirectoryName(result.HtmlPath)!;
        Assert.True(File.Exists(result.HtmlPath));
        Assert.True(File.Exists(result.WorkbookPath));
        Assert.Equal(File.ReadAllText(result.HtmlPath), File.ReadAllText(Path.Combine(dir, "latest.html")));
        Assert.Contains("report-2026-11-20.html", File.ReadAllText(Path.Combine(dir, "index.html")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.NotNull(result.MailDelivery);
        Assert.EndsWith("report-2026-11-20.eml", result.MailDelivery, StringComparison.Ordinal);
        Assert.Equal(["sites and snapshot list", "connections read", "connections aggregated", "connection section", "trend", "DNS names and IIS facts",
            "flows and headline", "workbook", "HTML, latest and index", "mail"], result.Timings.Stages.Select(s => s.Key));
    }
}
