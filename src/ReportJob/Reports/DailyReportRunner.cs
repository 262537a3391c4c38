using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Mail;
using ReportJob.Reports.Plots;
using ReportJob.Reports.Workbook;

namespace ReportJob.Reports;

/// <summary>Builds a day's model once, writes the HTML and the workbook, and (optionally) mails them.</summary>
internal sealed class DailyReportRunner(
    DailyReportBuilder builder,
    ReportWriter writer,
    ReportMailComposer composer,
    IMailSender sender,
    IOptions<MailOptions> mailOptions,
    IOptions<ReportOptions> reportOptions,
    TimeProvider time,
    ILogger<DailyReportRunner> logger)
{
    /// <summary>Yesterday in the report's time zone: what the nightly job renders.</summary>
    public DateOnly Yesterday() =>
        DayWindow.DayOf(time.GetUtcNow().UtcDateTime, reportOptions.Value.Zone()).AddDays(-1);

    public async Task<DailyReportResult> RunAsync(DateOnly day, bool mail, CancellationToken cancellationToken)
    {
        // The day is read on one core; the charts' first-use costs (native library, fonts, compilation) go on the other.
        var warmUp = Task.Run(ReportCharts.WarmUp, cancellationToken);
        var timings = new ReportTimings();
        var report = await builder.BuildAsync(day, timings, cancellationToken);
        var stage = Stopwatch.GetTimestamp();
        await warmUp;
        // The charts are drawn (SVG for the page, then PNG for the mail) beside the workbook.
        var charts = ReportCharts.For(report, reportOptions.Value.CultureInfo());
        var mailing = mail && mailOptions.Value.Enabled;
        var svgs = Task.Run(() => ReportWriter.Svgs(charts), cancellationToken);
        var pngs = mailing ? svgs.ContinueWith(_ => ReportMailComposer.Pngs(charts), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default) : null;
        var workbookPath = Path.Combine(writer.OutputPath, ReportFiles.Workbook(day));
        var sheets = DailyWorkbook.Sheets(report);
        await ReportFiles.WriteAtomicAsync(workbookPath, s =>
        {
            WorkbookWriter.Write(s, sheets);
            return Task.CompletedTask;
        }, cancellationToken);
        stage = timings.AddSince("workbook", stage);
        var htmlPath = await writer.WriteAsync(report, hasWorkbook: true, cancellationToken, await svgs);
        stage = timings.AddSince("HTML, latest and index", stage);
        string? delivery = null;
        if (mailing)
        {
            delivery = await MailAsync(day, cancellationToken, report, await pngs!);
            timings.AddSince("mail", stage);
        }

        Log.ReportRun(logger, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), timings.Total.TotalSeconds, timings.ToString());
        return new DailyReportResult(day, htmlPath, workbookPath, delivery, timings);
    }

    /// <summary>(Re)sends the e-mail of a day whose report exists; rebuilds the model for the body.</summary>
    public async Task<string> MailAsync(DateOnly day, CancellationToken cancellationToken, Model.DailyReport? report = null,
        IReadOnlyList<(ReportChart Chart, byte[] Png)>? pngs = null)
    {
        var htmlPath = Path.Combine(writer.OutputPath, ReportFiles.Html(day));
        var workbookPath = Path.Combine(writer.OutputPath, ReportFiles.Workbook(day));
        if (!File.Exists(htmlPath))
        {
            throw new FileNotFoundException($"No report for {day:yyyy-MM-dd} in {writer.OutputPath}: run 'reportjob report --date {day:yyyy-MM-dd}' first", htmlPath);
        }

        report ??= await builder.BuildAsync(day, cancellationToken);
        using var message = await composer.ComposeAsync(report, htmlPath, workbookPath, cancellationToken, pngs);
        return await sender.SendAsync(message, ReportFiles.MailFile(day), cancellationToken);
    }
}
