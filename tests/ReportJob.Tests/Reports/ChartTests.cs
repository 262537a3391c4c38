using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ReportJob.Reports;
using ReportJob.Reports.Charts;
using ReportJob.Reports.Templates.Charts;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

public sealed class ChartTests
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    private static async Task<string> RenderAsync<T>(Dictionary<string, object?> parameters)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        await using var renderer = new RazorRenderer(NullLoggerFactory.Instance);
        return await renderer.RenderAsync<T>(parameters);
    }

    [Fact]
    public async Task BarChart_Ranked_MatchesGolden()
    {
        var svg = await RenderAsync<BarChart>(new()
        {
            ["Id"] = "bar",
            ["Title"] = "Peak connections <of> top clients",
            ["Labels"] = new[] { "10.2.1.50", "2001:db8:0:0:0:0:0:1234", "<script>x</script>" },
            ["Values"] = new[] { 1234.0, 56.5, 7.0 },
            ["Culture"] = German,
        });
        Golden.Match("charts/bar.svg", svg);
        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("1.234", svg, StringComparison.Ordinal); // the culture's grouping in text
        Assert.DoesNotContain("width=\"1,", svg, StringComparison.Ordinal); // never in attributes
    }

    [Fact]
    public async Task ColumnChart_Stacked_MatchesGolden()
    {
        var svg = await RenderAsync<ColumnChart>(new()
        {
            ["Id"] = "col",
            ["Title"] = "States per server",
            ["Categories"] = new[] { "EX01", "EX02", "EX03" },
            ["Series"] = new[] { new ChartSeries("Established", [60.5, 14, 14]), new ChartSeries("TimeWait", [3, 3, 0]) },
            ["Culture"] = German,
        });
        Golden.Match("charts/column.svg", svg);
        Assert.Equal(5, svg.Split("<rect x=").Length - 1 - 2); // 5 bars with a value (one is 0) + 2 legend swatches
    }

    [Fact]
    public async Task TimeSeriesChart_MissedPoint_BreaksLine()
    {
        var start = new DateTime(2026, 11, 20, 0, 0, 0);
        var times = Enumerable.Range(0, 6).Select(h => start.AddHours(h * 4)).ToArray();
        var svg = await RenderAsync<TimeSeriesChart>(new()
        {
            ["Id"] = "ts",
            ["Title"] = "Connections per server",
            ["Times"] = times,
            ["Series"] = new[] { new ChartSeries("EX01", [10, 20, double.NaN, 40, 50, 60]), new ChartSeries("EX02", [5, 5, 5, 5, 5, double.NaN]) },
            ["Start"] = start,
            ["End"] = start.AddDays(1),
            ["Culture"] = CultureInfo.InvariantCulture,
        });
        Golden.Match("charts/timeseries.svg", svg);
        Assert.Equal(3, svg.Split("<polyline").Length - 1);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 100.0, 20.0)]
    [InlineData(0.0, 7.0, 2.0)]
    [InlineData(0.0, 123456.0, 50000.0)]
    [InlineData(0.0, 0.3, 0.1)]
    public void ChartScale_Range_NiceStep(double min, double max, double step)
    {
        var scale = new ChartScale(min, max, 0, 100);
        Assert.Equal(step, scale.Step, 9);
        Assert.True(scale.Max >= max);
        Assert.Equal(0, scale.Map(scale.Min), 9);
        Assert.Equal(100, scale.Map(scale.Max), 9);
    }
}
