namespace ReportJob.Scheduling;

/// <summary>One configured job as the status page shows it.</summary>
public sealed record JobStatus(string Name, bool Enabled, string? Cron, bool Scheduled, DateTimeOffset? NextFireUtc, JobRun? LastRun);
