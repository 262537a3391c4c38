using System.Globalization;
using System.Text.RegularExpressions;
using ReportJob.Reports;
using ReportJob.Reports.Plots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>The report's ScottPlot charts: each one's SVG from the fixture day (fixed data, clock and culture) against its golden file, and the axes' ticks.</summary>
public sealed partial class ChartTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public static readonly string[] ChartIds =
    [
        "states-per-server", "states-share", "states-per-hour", "per-server", "client-distribution", "top-clients", "protocol-requests",
        "created-per-minute", "source-ports", "site-clients", "trend-server-peaks", "trend-clients", "trend-imbalance", "trend-top-clients", "traffic-per-exporter", "top-sources", "top-destinations", "top-conversations",
        "protocols", "ports",
    ];

    [Fact]
    public async Task Charts_FixtureDayWithFlowsAndIisLog_EachMatchesItsGolden()
    {
        await using var db = await ReportFixture.CreateAsync();
        await ReportFixture.StoreEarlierWeekAsync(db);
        await ReportFixture.IngestFlowsAsync(db);
        await ReportFixture.ImportIisLogAsync(db);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);

        var charts = ReportCharts.For(report, English);
        Assert.Equal(ChartIds, charts.Select(c => c.Id));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chart in charts)
        {
            var svg = chart.Svg();
            Golden.Match($"charts/{chart.Id}.svg", svg);
            Assert.StartsWith($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-{chart.Id}\"", svg, StringComparison.Ordinal);
            Assert.Contains($"viewBox=\"0 0 {chart.Width} {chart.Height}\"", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("<?xml", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(">" + System.Net.WebUtility.HtmlEncode(chart.Title) + "</text>", svg, StringComparison.Ordinal);
            // Every id of every chart is unique on the page, and every reference points into the same chart.
            Assert.All(IdAttribute().Matches(svg).Select(m => m.Groups[1].Value), id => Assert.True(ids.Add(id), $"id {id} twice"));
            Assert.All(UrlReference().Matches(svg).Select(m => m.Groups[1].Value), id => Assert.StartsWith(chart.Id + "-", id, StringComparison.Ordinal));
        }

        // The per-server chart's time axis runs from 00:00 to 24:00 in the report's zone, every 3 hours.
        var perServer = charts.Single(c => c.Id == "per-server").Svg();
        Assert.Equal(["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "24:00"], TextsLike(perServer, @"^\d\d:\d\d$"));
        // Bytes per bucket peak at 1,400,000 B (1.34 MiB): ticks at round steps of the MiB, labelled as such.
        var traffic = charts.Single(c => c.Id == "traffic-per-exporter").Svg();
        Assert.Equal(["0", "0.5 MiB", "1 MiB", "1.5 MiB"], TextsLike(traffic, "^0$|B$"));
    }

    [Theory]
    [InlineData(1_000_000_000.0, "0|200 MiB|400 MiB|600 MiB|800 MiB|1,000 MiB")] // the demo's 953.7 MiB, no longer 488.3 KiB steps
    [InlineData(1_400_000.0, "0|0.5 MiB|1 MiB|1.5 MiB")]
    [InlineData(700.0, "0|200 B|400 B|600 B|800 B")]
    [InlineData(3.5 * 1024 * 1024 * 1024, "0|1 GiB|2 GiB|3 GiB|4 GiB")]
    public void Bytes_Maximum_RoundTicksInTheUnitShown(double max, string expected)
    {
        var scale = AxisTicks.Bytes(max, English);
        Assert.Equal(expected, string.Join('|', scale.Ticks.Select(t => t.Label)));
        Assert.True(scale.Max >= max);
        Assert.Equal(scale.Max, scale.Ticks[^1].Value);
    }

    [Theory]
    [InlineData(67.0, "en-US", "0|20|40|60|80")]
    [InlineData(7.0, "en-US", "0|2|4|6|8")]
    [InlineData(2.0, "en-US", "0|1|2|3")]
    [InlineData(0.3, "en-US", "0|0.1|0.2|0.3|0.4")]
    [InlineData(123_456.0, "de-DE", "0|50.000|100.000|150.000")]
    [InlineData(4_200_000.0, "en-US", "0|1M|2M|3M|4M|5M")]
    [InlineData(0.0, "en-US", "0|1")]
    public void Count_Maximum_RoundTicksInTheCulture(double max, string culture, string expected)
    {
        var scale = AxisTicks.Count(max, CultureInfo.GetCultureInfo(culture));
        Assert.Equal(expected, string.Join('|', scale.Ticks.Select(t => t.Label)));
    }

    [Theory]
    [InlineData(24, "00:00|03:00|06:00|09:00|12:00|15:00|18:00|21:00|24:00")]
    [InlineData(6, "00:00|01:00|02:00|03:00|04:00|05:00|06:00")]
    public void Hours_Window_TwentyFourHourLabels(int hours, string expected)
    {
        var start = new DateTime(2026, 11, 20, 0, 0, 0);
        Assert.Equal(expected, string.Join('|', AxisTicks.Hours(start, start.AddHours(hours)).Select(t => t.Label)));
    }

    [Fact]
    public void Hours_DaylightSavingEndsInParis_TwentyFiveHoursStillEndAt2400()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var window = DayWindow.For(new DateOnly(2026, 10, 25), zone);
        Assert.Equal(TimeSpan.FromHours(25), window.Length);
        var start = TimeZoneInfo.ConvertTimeFromUtc(window.StartUtc, zone);
        var end = TimeZoneInfo.ConvertTimeFromUtc(window.EndUtc, zone);
        var labels = AxisTicks.Hours(start, end).Select(t => t.Label).ToList();
        Assert.Equal("00:00", labels[0]);
        Assert.Equal("24:00", labels[^1]);
    }

    /// <summary>The texts of the SVG's &lt;text&gt; elements that match a pattern, in document order.</summary>
    internal static List<string> TextsLike(string svg, string pattern) =>
        TextElement().Matches(svg).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Where(t => Regex.IsMatch(t, pattern)).ToList();

    [GeneratedRegex("<text [^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}
