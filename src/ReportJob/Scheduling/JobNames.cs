namespace ReportJob.Scheduling;

/// <summary>The job names ReportJob schedules (keys of <c>Scheduling:Jobs</c>, and the ids of Hangfire's recurring jobs).</summary>
public static class JobNames
{
    public const string CollectSnapshots = "collect-snapshots";
    public const string IngestCaptures = "ingest-captures";
    public const string IngestIisLogs = "ingest-iis-logs";
    public const string DailyReport = "daily-report";
    public const string MailReport = "mail-report";
    public const string Retention = "retention";
}
