namespace ReportJob.Scheduling;

/// <summary>The values of <c>job_run.outcome</c>.</summary>
internal static class JobRunOutcome
{
    public const string Running = "running";
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string Retrying = "retrying";
    public const string Cancelled = "cancelled";

    /// <summary>The node running it stopped checking in; another node recovered the firing.</summary>
    public const string Abandoned = "abandoned";
}
