namespace ReportJob.Reports;

/// <summary>What one run of the daily report produced.</summary>
public sealed record DailyReportResult(DateOnly Day, string HtmlPath, string WorkbookPath, string? MailDelivery, ReportTimings Timings);
