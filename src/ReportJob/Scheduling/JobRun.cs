namespace ReportJob.Scheduling;

/// <summary>One row of <c>job_run</c>. Times are UTC.</summary>
public sealed record JobRun(
    long Id,
    string Job,
    string Node,
    string TriggerKind,
    DateTime ScheduledAt,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string Outcome,
    int Attempt,
    string? Error,
    string? Summary,
    string? Link)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
