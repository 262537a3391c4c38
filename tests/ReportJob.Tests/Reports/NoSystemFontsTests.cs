using System.Globalization;
using System.Text.Json;
using ReportJob.Reports;
using ReportJob.Reports.Plots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>
/// The charts on a machine without fonts: reportjob runs in a mount namespace of its own where an empty folder hides
/// /usr/share/fonts and /usr/local/share/fonts (ScottPlot's native library reads those folders itself, not through
/// fontconfig). With the fonts embedded in reportjob, the e-mail's chart PNGs are the very bytes drawn here with the
/// system's fonts visible, and the page's SVG still names every label.
/// </summary>
public sealed class NoSystemFontsTests
{
    [MountFact]
    public async Task Report_NoSystemFonts_ChartLabelsStillDrawn()
    {
        ExternalTools.Require("unshare");
        await using var db = await ReportFixture.CreateAsync();
        var empty = Path.Combine(db.Directory, "no-fonts");
        Directory.CreateDirectory(empty);
        var config = Path.Combine(db.Directory, "no-fonts.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Storage"] = new { Provider = "Sqlite", ConnectionString = "Data Source=" + Path.Combine(db.Directory, "reportjob.db") },
            ["Reports"] = new
            {
                TimeZone = "Europe/Paris", Culture = "en-US", ResolveDnsNames = false, OutputPath = Path.Combine(db.Directory, "out"),
                LongLivedThreshold = "06:00:00", BurstThreshold = 5, ExpectedSnapshotInterval = "01:00:00",
            },
            ["Mail"] = new { PickupDirectory = Path.Combine(db.Directory, "out-mail"), To = new[] { "exchange-team@example.com" }, From = "reportjob@example.com" },
            ["Snapshots"] = new { Servers = new[] { new { Name = "EX01" }, new { Name = "EX02" }, new { Name = "EX03" } } },
            ["Logging"] = new { LogLevel = new { Default = "Warning" } },
        }));
        var hide = string.Join(" && ", new[] { "/usr/share/fonts", "/usr/local/share/fonts" }.Where(Directory.Exists).Select(d => $"mount --bind '{empty}' '{d}'"));
        var script = $"mount --make-rprivate / && {hide} && find /usr/share/fonts /usr/local/share/fonts -type f 2>/dev/null | wc -l && " +
                     $"exec dotnet '{Path.Combine(AppContext.BaseDirectory, "reportjob.dll")}' report --date 2026-11-20 --config '{config}'";
        var (exit, stdout, stderr) = ExternalTools.RunRaw("unshare", ["-m", "sh", "-c", script], TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"reportjob report exited {exit}: {stderr}");
        Assert.Equal("0", stdout.Split('\n')[0].Trim());

        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        var charts = ReportCharts.For(report, CultureInfo.GetCultureInfo("en-US"));
        var mime = MimeDump.Parse(await File.ReadAllTextAsync(Path.Combine(db.Directory, "out-mail", "report-2026-11-20.eml")));
        foreach (var chart in charts)
        {
            var png = mime.All().Single(p => p.Headers.GetValueOrDefault("Content-Id") == $"<{chart.Id}@reportjob>").Body;
            Assert.True(chart.Png().AsSpan().SequenceEqual(png), $"chart {chart.Id} drawn without system fonts differs from the one drawn with them");
        }

        var html = await File.ReadAllTextAsync(Path.Combine(db.Directory, "out", "report-2026-11-20.html"));
        var start = html.IndexOf("id=\"chart-per-server\"", StringComparison.Ordinal);
        var perServer = ChartTests.TextsLike(html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)], ".");
        Assert.Contains("Connections per server over the day", perServer);
        Assert.Contains("24:00", perServer);
        Assert.Contains("EX03", perServer);
    }
}
