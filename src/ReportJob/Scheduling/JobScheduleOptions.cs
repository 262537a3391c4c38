namespace ReportJob.Scheduling;

/// <summary>One job under <c>Scheduling:Jobs:&lt;name&gt;</c>.</summary>
public sealed class JobScheduleOptions
{
    /// <summary>Whether the job is scheduled at all. A disabled job's triggers are removed from the job store at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Quartz cron expression with seconds (<c>sec min hour day-of-month month day-of-week</c>), in
    /// <c>Scheduling:TimeZone</c>: <c>0 */5 * * * ?</c> every five minutes, <c>0 0 2 * * ?</c> at 02:00. Empty: the job
    /// only runs when triggered (run now, a continuation, <c>reportjob jobs run</c>).
    /// </summary>
    public string? Cron { get; set; }

    /// <summary>
    /// Catch up a firing missed while no job server was running, as <c>Scheduling:CatchUpMissedReports</c> says
    /// (reports); otherwise a missed firing is skipped and the job waits for its next time.
    /// </summary>
    public bool CatchUp { get; set; }
}
