using Microsoft.Extensions.Logging;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>"Run now": triggers a job through the job store (so the cluster runs it once, and never beside a running one) and finds its outcome.</summary>
internal sealed class JobControl(ISchedulerFactory schedulers, JobRunStore runs, TimeProvider time, ILogger<JobControl> logger)
{
    /// <summary>Triggers the job now; returns the request id its runs are recorded under, or null when no such job is scheduled.</summary>
    public async Task<string?> TriggerAsync(string job, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey(job, JobNames.Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return null;
        }

        var requestId = Guid.NewGuid().ToString("N");
        await scheduler.TriggerJob(key, JobData.Manual(requestId), cancellationToken);
        Log.TriggeredByHand(logger, job, requestId);
        return requestId;
    }

    /// <summary>Waits until the request's last run has a final outcome (ok, failed, cancelled); null on timeout.</summary>
    public async Task<JobRun?> WaitAsync(string requestId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        while (time.GetElapsedTime(deadline) < timeout)
        {
            var latest = (await runs.ForRequestAsync(requestId, cancellationToken)).FirstOrDefault();
            if (latest is { Outcome: JobRunOutcome.Ok or JobRunOutcome.Failed or JobRunOutcome.Cancelled })
            {
                return latest;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        return null;
    }
}
