namespace ReportJob.Scheduling;

/// <summary>One job under <c>Scheduling:Jobs:&lt;name&gt;</c>.</summary>
public sealed class JobScheduleOptions
{
    /// <summary>Whether the job exists at all. A disabled job's recurring entry is removed from the job storage at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Cron expression in <c>Scheduling:TimeZone</c>, as Hangfire reads it: five fields (<c>min hour day-of-month month
    /// day-of-week</c>, e.g. <c>*/5 * * * *</c> every five minutes, <c>0 2 * * *</c> at 02:00) or six with seconds first
    /// (<c>*/15 * * * * *</c>). Empty: the job only runs when triggered (the dashboard's "Trigger now", a continuation,
    /// <c>reportjob jobs run</c>).
    /// </summary>
    public string? Cron { get; set; }

    /// <summary>
    /// Catch up an occurrence missed while no job server was running, as <c>Scheduling:CatchUpMissedReports</c> says
    /// (reports); otherwise a missed occurrence is skipped and the job waits for its next time. Runs of a catch-up job
    /// wait for a run of the same job that is still going, instead of being skipped.
    /// </summary>
    public bool CatchUp { get; set; }
}
