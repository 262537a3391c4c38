namespace ReportJob.Scheduling;

/// <summary>
/// One unit of scheduled work, run by the Hangfire job <see cref="ScheduledJob"/> under <see cref="JobName"/>. A feature registers
/// its work with <see cref="SchedulingServiceCollectionExtensions.AddScheduledWork{TWork}"/>; the job's cron
/// and enablement come from <c>Scheduling:Jobs:&lt;name&gt;</c>. Throwing means the run failed (and is retried
/// under <c>Scheduling:Retry</c>); honouring <paramref name="cancellationToken"/> lets shutdown stop it cleanly.
/// </summary>
public interface IScheduledWork
{
    /// <summary>The job name, as under <c>Scheduling:Jobs</c> (for example <c>collect-snapshots</c>).</summary>
    string JobName { get; }

    /// <summary>
    /// Runs once. <paramref name="scheduledFireTimeUtc"/> is the time the occurrence was scheduled for (a retry keeps it,
    /// a continuation gets its parent's), so a report renders "the day before" that instant, not before now.
    /// </summary>
    Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken);
}
