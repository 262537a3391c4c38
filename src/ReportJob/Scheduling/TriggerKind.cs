namespace ReportJob.Scheduling;

/// <summary>The values of <c>job_run.trigger_kind</c>: why a run happened.</summary>
internal static class TriggerKind
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
    public const string Retry = "retry";
    public const string Recovery = "recovery";
    public const string Continuation = "continuation";
}
