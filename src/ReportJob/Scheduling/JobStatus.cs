namespace ReportJob.Scheduling;

/// <summary>
/// One configured job as <c>reportjob jobs list</c> and <c>/health</c> show it, from <c>Scheduling:Jobs</c> and the
/// recurring job Hangfire keeps under the same name. Times are UTC.
/// </summary>
public sealed record JobStatus(
    string Name,
    bool Enabled,
    string? Cron,
    bool Registered,
    DateTime? NextRunUtc,
    DateTime? LastRunUtc,
    string? LastJobId,
    string? LastState,
    string? Error);
