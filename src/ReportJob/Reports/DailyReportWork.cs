using Microsoft.Extensions.Options;
using ReportJob.Scheduling;

namespace ReportJob.Reports;

/// <summary>
/// The <c>daily-report</c> job: renders the day before the scheduled fire time (in Reports:TimeZone), so that a run
/// caught up after downtime still renders the day it was meant for; then <c>mail-report</c> follows as a continuation.
/// </summary>
internal sealed class DailyReportWork(DailyReportRunner runner, ReportMailComposer composer, IOptions<ReportOptions> options) : IScheduledWork
{
    public string JobName => JobNames.DailyReport;

    public static DateOnly DayBefore(DateTimeOffset scheduledFireTimeUtc, ReportOptions options) =>
        DayWindow.DayOf(scheduledFireTimeUtc.UtcDateTime, options.Zone()).AddDays(-1);

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var day = DayBefore(scheduledFireTimeUtc, options.Value);
        var result = await runner.RunAsync(day, mail: false, cancellationToken);
        return new WorkResult($"report of {day:yyyy-MM-dd} written")
        {
            Link = composer.ReportLink(result.HtmlPath),
            ContinueWith = JobNames.MailReport,
        };
    }
}
