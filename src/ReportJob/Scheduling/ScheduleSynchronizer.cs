using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>
/// Brings the persistent job store in line with <c>Scheduling:Jobs</c> when the host starts, before the scheduler
/// fires anything: adds or updates each enabled job and its cron trigger, removes disabled and unknown ones.
/// A trigger whose schedule did not change is left alone, so restarting one node of a cluster disturbs nothing.
/// </summary>
internal sealed class ScheduleSynchronizer(
    ISchedulerFactory schedulers,
    IEnumerable<IScheduledWork> works,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<ScheduleSynchronizer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var registered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in works)
        {
            if (!registered.Add(work.JobName))
            {
                throw new InvalidOperationException($"Two works are registered for job '{work.JobName}'.");
            }
        }

        var zone = o.ResolveTimeZone();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, job) in o.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            var jobKey = new JobKey(name, JobNames.Group);
            if (!job.Enabled)
            {
                await scheduler.DeleteJob(jobKey, cancellationToken);
                Log.JobDisabled(logger, name);
                continue;
            }

            if (!registered.Contains(name))
            {
                await scheduler.DeleteJob(jobKey, cancellationToken);
                Log.JobWithoutWork(logger, name);
                continue;
            }

            configured.Add(name);
            var detail = JobBuilder.Create<WorkJob>()
                .WithIdentity(jobKey)
                .WithDescription(string.IsNullOrWhiteSpace(job.Cron) ? "on demand" : job.Cron)
                .StoreDurably()
                .RequestRecovery()
                .Build();
            var existingDetail = await scheduler.GetJobDetail(jobKey, cancellationToken);
            if (existingDetail is null || !existingDetail.RequestsRecovery || !existingDetail.Durable || existingDetail.Description != detail.Description)
            {
                await scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken);
            }

            var triggerKey = TriggerKeyOf(name);
            if (string.IsNullOrWhiteSpace(job.Cron))
            {
                await scheduler.UnscheduleJob(triggerKey, cancellationToken);
                Log.JobOnDemand(logger, name);
                continue;
            }

            var misfire = !job.CatchUp ? CronTriggerMisfireInstruction.DoNothing
                : o.CatchUpMissedReports == CatchUpMode.All ? CronTriggerMisfireInstruction.IgnoreMisfires
                : CronTriggerMisfireInstruction.FireAndProceed;
            var existing = await scheduler.GetTrigger(triggerKey, cancellationToken) as ICronTrigger;
            if (existing is not null
                && existing.CronExpressionString == job.Cron
                && existing.TimeZone.Id == zone.Id
                && existing.MisfireInstruction == misfire)
            {
                Log.JobScheduled(logger, name, job.Cron, zone.Id, existing.NextFireTimeUtc);
                continue;
            }

            var trigger = TriggerBuilder.Create(time)
                .WithIdentity(triggerKey)
                .ForJob(jobKey)
                .WithSchedule(CronScheduleBuilder.Create(job.Cron).InTimeZone(zone).WithMisfireInstruction(misfire))
                .Build();
            var stored = await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellationToken);
            Log.JobScheduled(logger, name, job.Cron, zone.Id, stored.NextFireTimeUtc);
        }

        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(JobNames.Group), cancellationToken))
        {
            if (!configured.Contains(key.Name) && !o.Jobs.ContainsKey(key.Name))
            {
                await scheduler.DeleteJob(key, cancellationToken);
                Log.JobRemoved(logger, key.Name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static TriggerKey TriggerKeyOf(string job) => new(job + "-cron", JobNames.Group);
}
