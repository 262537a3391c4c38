using Microsoft.Extensions.Options;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>Reads the scheduler, <c>job_run</c> and <c>snapshot</c> into a <see cref="StatusSnapshot"/>.</summary>
internal sealed class StatusReader(ISchedulerFactory schedulers, JobRunStore runs, IOptions<SchedulingOptions> scheduling, IOptions<StatusOptions> status, TimeProvider time)
{
    public async Task<StatusSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var o = scheduling.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var last = await runs.LastPerJobAsync(cancellationToken);
        var jobs = new List<JobStatus>();
        foreach (var (name, job) in o.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            var exists = job.Enabled && await scheduler.Exists(new JobKey(name, JobNames.Group), cancellationToken);
            var trigger = exists ? await scheduler.GetTrigger(ScheduleSynchronizer.TriggerKeyOf(name), cancellationToken) : null;
            jobs.Add(new JobStatus(name, job.Enabled, job.Cron, exists, trigger?.NextFireTimeUtc, last.GetValueOrDefault(name)));
        }

        var recent = await runs.RecentAsync(status.Value.HistorySize, null, cancellationToken);
        var servers = await runs.ServerHealthAsync(cancellationToken);
        var report = await runs.LastOkAsync(JobNames.DailyReport, cancellationToken);
        var state = scheduler.Status;
        return new StatusSnapshot(
            state.ToString(),
            state == SchedulerStatus.Running,
            WorkJob.NodeOf(scheduler),
            o.Clustered,
            o.ResolveTimeZone(),
            time.GetUtcNow(),
            jobs,
            recent,
            servers,
            report);
    }
}
