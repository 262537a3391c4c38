using ReportJob.Reports;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

/// <summary><c>reportjob report</c>'s files: a back-filled old day stays, reports written long ago are pruned day by day.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReportVerbsTests : IDisposable
{
    private readonly CliSandbox _cli;
    private readonly string _reports;

    public ReportVerbsTests()
    {
        var folder = Path.Combine(Path.GetTempPath(), "reportjob-tests", "reports-" + Guid.NewGuid().ToString("N"));
        _reports = folder;
        _cli = new CliSandbox(new Dictionary<string, object>
        {
            ["Reports"] = new { OutputPath = folder, RetentionDays = 90, ResolveDnsNames = false, TimeZone = "UTC" },
        });
    }

    public void Dispose()
    {
        _cli.Dispose();
        if (Directory.Exists(_reports))
        {
            Directory.Delete(_reports, recursive: true);
        }
    }

    [Fact]
    public async Task Report_DayThreeYearsAgo_FilesStayAndAreIndexed()
    {
        // The clock is 2026-11-21 06:00 UTC: yesterday's report first, then a day three years back, as a back-fill.
        var yesterday = await _cli.RunAsync("report", "--no-mail");
        Assert.True(yesterday.Exit == 0, yesterday.Err);
        var old = await _cli.RunAsync("report", "--date", "2023-11-20", "--no-mail");
        Assert.True(old.Exit == 0, old.Err);

        foreach (var file in new[] { "report-2023-11-20.html", "report-2023-11-20.xlsx", "report-2026-11-20.html", "report-2026-11-20.xlsx" })
        {
            Assert.True(File.Exists(Path.Combine(_reports, file)), file + " is gone");
        }

        Assert.Contains($"report:   {Path.Combine(_reports, "report-2023-11-20.html")}", old.Out, StringComparison.Ordinal);
        var index = await File.ReadAllTextAsync(Path.Combine(_reports, "index.html"));
        Assert.Contains("href=\"report-2023-11-20.html\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"report-2023-11-20.xlsx\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"report-2026-11-20.html\"", index, StringComparison.Ordinal);
        // latest.html stays the newest day, not the back-filled one.
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_reports, "report-2026-11-20.html")), await File.ReadAllTextAsync(Path.Combine(_reports, "latest.html")));
        Assert.DoesNotContain("Pruned", old.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_FilesWrittenLongAgo_PrunedWithTheirDayIndexFollows()
    {
        Directory.CreateDirectory(_reports);
        var now = _cli.Clock.Now.UtcDateTime;
        // Written 100 days ago: pruned. An old day written 10 days ago (a back-fill): kept. A day whose workbook was
        // rewritten recently though its HTML is old: kept whole, so that the index never loses half a day.
        Plant(new DateOnly(2026, 1, 1), now.AddDays(-100), now.AddDays(-100));
        Plant(new DateOnly(2024, 3, 10), now.AddDays(-10), now.AddDays(-10));
        Plant(new DateOnly(2025, 6, 1), now.AddDays(-100), now.AddDays(-1));

        var result = await _cli.RunAsync("report", "--date", "2026-11-20", "--no-mail");

        Assert.True(result.Exit == 0, result.Err);
        Assert.Empty(Directory.GetFiles(_reports, "report-2026-01-01*"));
        Assert.Equal(3, Directory.GetFiles(_reports, "report-2024-03-10*").Length);
        Assert.Equal(3, Directory.GetFiles(_reports, "report-2025-06-01*").Length);
        var index = await File.ReadAllTextAsync(Path.Combine(_reports, "index.html"));
        Assert.DoesNotContain("report-2026-01-01", index, StringComparison.Ordinal);
        Assert.Contains("href=\"report-2024-03-10.html\"", index, StringComparison.Ordinal);
        Assert.Contains("href=\"report-2025-06-01.xlsx\"", index, StringComparison.Ordinal);
        Assert.Equal(ReportWriter.ReadIndex(_reports).Select(e => e.Day), [new DateOnly(2026, 11, 20), new DateOnly(2025, 6, 1), new DateOnly(2024, 3, 10)]);
    }

    /// <summary>A day's three files as an earlier run left them: HTML and index entry written at one time, the workbook at another.</summary>
    private void Plant(DateOnly day, DateTime htmlWritten, DateTime workbookWritten)
    {
        var d = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var html = Path.Combine(_reports, ReportFiles.Html(day));
        var json = Path.Combine(_reports, ReportFiles.IndexEntry(day));
        var xlsx = Path.Combine(_reports, ReportFiles.Workbook(day));
        File.WriteAllText(html, "<html>" + d + "</html>");
        File.WriteAllText(json, $$"""{"day":"{{d}}","htmlFile":"report-{{d}}.html","workbookFile":"report-{{d}}.xlsx","servers":1,"clients":1,"peakConnections":1,"flows":0,"bytes":0,"alerts":0}""");
        File.WriteAllBytes(xlsx, [0x50, 0x4b]);
        File.SetLastWriteTimeUtc(html, htmlWritten);
        File.SetLastWriteTimeUtc(json, htmlWritten);
        File.SetLastWriteTimeUtc(xlsx, workbookWritten);
    }
}
