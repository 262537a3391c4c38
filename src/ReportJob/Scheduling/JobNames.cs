namespace ReportJob.Scheduling;

/// <summary>The job names ReportJob schedules (keys of <c>Scheduling:Jobs</c>).</summary>
public static class JobNames
{
    public const string CollectSnapshots = "collect-snapshots";
    public const string IngestCaptures = "ingest-captures";
    public const string IngestIisLogs = "ingest-iis-logs";
    public const string DailyReport = "daily-report";
    public const string MailReport = "mail-report";
    public const string Retention = "retention";

    /// <summary>The Quartz group every ReportJob job and trigger lives in.</summary>
    public const string Group = "reportjob";
}
