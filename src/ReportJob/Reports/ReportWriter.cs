using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Reports.Model;
using ReportJob.Reports.Plots;
using ReportJob.Reports.Templates;

namespace ReportJob.Reports;

/// <summary>Renders a day's report to HTML in the output folder, refreshes latest.html and index.html, and prunes reports written long ago.</summary>
internal sealed class ReportWriter(RazorRenderer renderer, IOptions<ReportOptions> options, TimeProvider time, ILogger<ReportWriter> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string OutputPath => Path.GetFullPath(options.Value.OutputPath);

    /// <summary>The report page: its charts as SVG (drawn now unless given, by id), the title, logo and extra stylesheet read now.</summary>
    public Task<string> RenderHtmlAsync(DailyReport report, IReadOnlyDictionary<string, string>? charts = null)
    {
        var culture = options.Value.CultureInfo();
        charts ??= Svgs(ReportCharts.For(report, culture));
        var looks = ReportLooks.Load(options.Value);
        foreach (var problem in looks.Problems)
        {
            Log.LooksProblem(logger, problem);
        }

        return renderer.RenderAsync<DailyReportPage>(new Dictionary<string, object?>
        {
            [nameof(DailyReportPage.Report)] = report,
            [nameof(DailyReportPage.F)] = new ReportFormat(culture),
            [nameof(DailyReportPage.Charts)] = charts,
            [nameof(DailyReportPage.Looks)] = looks,
        });
    }

    public static IReadOnlyDictionary<string, string> Svgs(IEnumerable<ReportChart> charts) =>
        charts.ToDictionary(c => c.Id, c => c.Svg(), StringComparer.Ordinal);

    /// <summary>Writes report-DAY.html (+ its index entry), latest.html and index.html; returns the report's path.</summary>
    public async Task<string> WriteAsync(DailyReport report, bool hasWorkbook, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? charts = null)
    {
        var watch = Stopwatch.StartNew();
        var html = await RenderHtmlAsync(report, charts);
        var dir = OutputPath;
        var path = Path.Combine(dir, ReportFiles.Html(report.Day));
        await ReportFiles.WriteTextAtomicAsync(path, html, cancellationToken);
        var entry = new ReportIndexEntry(report.Day, ReportFiles.Html(report.Day), hasWorkbook ? ReportFiles.Workbook(report.Day) : null,
            report.Headline.Servers, report.Headline.Clients, report.Headline.PeakConnections, report.Headline.Flows, report.Headline.Bytes, report.Headline.Alerts.Count);
        await ReportFiles.WriteTextAtomicAsync(Path.Combine(dir, ReportFiles.IndexEntry(report.Day)), JsonSerializer.Serialize(entry, Json), cancellationToken);

        Prune(dir, report.Day);
        var entries = ReadIndex(dir);
        if (entries.Count > 0 && entries[0].Day == report.Day)
        {
            await ReportFiles.WriteTextAtomicAsync(Path.Combine(dir, "latest.html"), html, cancellationToken);
        }
        else if (entries.Count > 0)
        {
            // A back-filled older day: latest.html stays the newest day's report, which pruning may have replaced.
            var newest = await File.ReadAllTextAsync(Path.Combine(dir, entries[0].HtmlFile), cancellationToken);
            await ReportFiles.WriteTextAtomicAsync(Path.Combine(dir, "latest.html"), newest, cancellationToken);
        }

        var index = await renderer.RenderAsync<IndexPage>(new Dictionary<string, object?>
        {
            [nameof(IndexPage.Entries)] = entries,
            [nameof(IndexPage.F)] = new ReportFormat(options.Value.CultureInfo()),
        });
        await ReportFiles.WriteTextAtomicAsync(Path.Combine(dir, "index.html"), index, cancellationToken);
        Log.ReportWritten(logger, report.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), path, html.Length, watch.Elapsed.TotalSeconds);
        return path;
    }

    public static IReadOnlyList<ReportIndexEntry> ReadIndex(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var entries = new List<ReportIndexEntry>();
        foreach (var file in Directory.EnumerateFiles(dir, "report-*.json"))
        {
            try
            {
                var e = JsonSerializer.Deserialize<ReportIndexEntry>(File.ReadAllText(file), Json);
                if (e is not null && File.Exists(Path.Combine(dir, e.HtmlFile)))
                {
                    entries.Add(e);
                }
            }
            catch (JsonException)
            {
                // A damaged entry only drops that day from the index; the report file itself is still there.
            }
        }

        return entries.OrderByDescending(e => e.Day).ToList();
    }

    /// <summary>
    /// Deletes the reports written more than <see cref="ReportOptions.RetentionDays"/> ago, by when their files were
    /// written, not by the day they are of: re-rendering or back-filling an old day is normal, and the run's own day
    /// (<paramref name="keep"/>) is never deleted. A day's files (HTML, workbook, index entry) go together, so the
    /// index never lists a report whose workbook is gone.
    /// </summary>
    private void Prune(string dir, DateOnly keep)
    {
        var days = options.Value.RetentionDays;
        if (days <= 0)
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-days);
        var byDay = Directory.EnumerateFiles(dir, "report-*")
            .Select(file => (File: file, Day: ReportFiles.DayOf(file)))
            .Where(f => f.Day is { } d && d != keep)
            .GroupBy(f => f.Day!.Value);
        var pruned = 0;
        foreach (var day in byDay)
        {
            if (day.All(f => File.GetLastWriteTimeUtc(f.File) < cutoff))
            {
                foreach (var (file, _) in day)
                {
                    File.Delete(file);
                    pruned++;
                }
            }
        }

        if (pruned > 0)
        {
            Log.Pruned(logger, pruned, days, dir);
        }
    }
}
