using Microsoft.Extensions.Options;
using ReportJob.Mail;
using ReportJob.Scheduling;

namespace ReportJob.Reports;

/// <summary>The <c>mail-report</c> job: e-mails the report <c>daily-report</c> wrote for the same scheduled time.</summary>
internal sealed class MailReportWork(DailyReportRunner runner, IOptions<ReportOptions> options, IOptions<MailOptions> mail) : IScheduledWork
{
    public string JobName => JobNames.MailReport;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var day = DailyReportWork.DayBefore(scheduledFireTimeUtc, options.Value);
        if (!mail.Value.Enabled)
        {
            return new WorkResult($"mail of {day:yyyy-MM-dd} not sent: Mail:Enabled is false");
        }

        var delivery = await runner.MailAsync(day, cancellationToken);
        return new WorkResult($"report of {day:yyyy-MM-dd} mailed to {delivery}");
    }
}
