using Microsoft.Extensions.DependencyInjection;
using ReportJob.Reports;
using ReportJob.Scheduling;

namespace ReportJob.Tests.Reports;

public sealed class ReportWorkTests
{
    [Theory]
    [InlineData("2026-11-21T01:00:00Z", "2026-11-20")] // 02:00 in Paris
    [InlineData("2026-11-20T22:59:00Z", "2026-11-19")] // 23:59 in Paris, still the 20th there
    [InlineData("2026-11-20T23:00:00Z", "2026-11-20")] // midnight in Paris: the 21st begins
    public void DayBefore_ScheduledFireTime_PreviousLocalDay(string fireUtc, string day)
    {
        var options = new ReportOptions { TimeZone = "Europe/Paris" };
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            DailyReportWork.DayBefore(DateTimeOffset.Parse(fireUtc, System.Globalization.CultureInfo.InvariantCulture), options));
    }

    [Fact]
    public async Task DailyReportThenMail_AsScheduledWorks_WriteReportAndMail()
    {
        await using var db = await ReportFixture.CreateAsync();
        var works = db.Services.GetServices<IScheduledWork>().ToDictionary(w => w.JobName);
        Assert.Contains(JobNames.CollectSnapshots, works.Keys);
        Assert.Contains(JobNames.IngestIisLogs, works.Keys);
        Assert.Contains(JobNames.IngestCaptures, works.Keys);
        var fire = new DateTimeOffset(2026, 11, 21, 1, 0, 0, TimeSpan.Zero);

        var report = await works[JobNames.DailyReport].RunAsync(fire, default);
        Assert.Equal(JobNames.MailReport, report.ContinueWith);
        Assert.Equal(@"\\fileserver\reports\report-2026-11-20.html", report.Link);

        var mail = await works[report.ContinueWith!].RunAsync(fire, default);
        Assert.EndsWith("report-2026-11-20.eml", mail.Summary, StringComparison.Ordinal);
    }
}
