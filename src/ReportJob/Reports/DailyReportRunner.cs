using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Mail;
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
        var timings = new ReportTimings();
        var report = await builder.BuildAsync(day, timings, cancellationToken);
        var stage = Stopwatch.GetTimestamp();
        var workbookPath = Path.Combine(writer.OutputPath, ReportFiles.Workbook(day));
        var sheets = DailyWorkbook.Sheets(report);
        await ReportFiles.WriteAtomicAsync(workbookPath, s =>
        {
            WorkbookWriter.Write(s, sheets);
            return Task.CompletedTask;
        }, cancellationToken);
        stage = timings.AddSince("workbook", stage);
        var htmlPath = await writer.WriteAsync(report, hasWorkbook: true, cancellationToken);
        stage = timings.AddSince("HTML, latest and index", stage);
        string? delivery = null;
        if (mail && mailOptions.Value.Enabled)
        {
            delivery = await MailAsync(day, cancellationToken, report);
            timings.AddSince("mail", stage);
        }

        Log.ReportRun(logger, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), timings.Total.TotalSeconds, timings.ToString());
        return new DailyReportResult(day, htmlPath, workbookPath, delivery, timings);
    }

    /// <summary>(Re)sends the e-mail of a day whose report exists; rebuilds the model for the body.</summary>
    public async Task<string> MailAsync(DateOnly day, CancellationToken cancellationToken, Model.DailyReport? report = null)
    {
        var htmlPath = Path.Combine(writer.OutputPath, ReportFiles.Html(day));
        var workbookPath = Path.Combine(writer.OutputPath, ReportFiles.Workbook(day));
        if (!File.Exists(htmlPath))
        {
            throw new FileNotFoundException($"No report for {day:yyyy-MM-dd} in {writer.OutputPath}: run 'reportjob report --date {day:yyyy-MM-dd}' first", htmlPath);
        }

        report ??= await builder.BuildAsync(day, cancellationToken);
        using var message = await composer.ComposeAsync(report, htmlPath, workbookPath, cancellationToken);
        return await sender.SendAsync(message, ReportFiles.MailFile(day), cancellationToken);
    }
}
