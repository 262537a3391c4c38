namespace ReportJob.Scheduling;

/// <summary>Everything the status page and <c>/health</c> show, read at one moment.</summary>
public sealed record StatusSnapshot(
    string SchedulerState,
    bool SchedulerRunning,
    string Node,
    bool Clustered,
    TimeZoneInfo Zone,
    DateTimeOffset Now,
    IReadOnlyList<JobStatus> Jobs,
    IReadOnlyList<JobRun> Recent,
    IReadOnlyList<ServerHealth> Servers,
    JobRun? LastReport);
