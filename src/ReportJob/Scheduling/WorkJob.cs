using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>
/// The one Quartz job: runs the <see cref="IScheduledWork"/> registered under the job's name and records the run in
/// <c>job_run</c>. One run of a job at a time, cluster-wide; a firing cut short by a crash or shutdown is recovered.
/// Failures are rethrown so that Quartz's retry policy (<c>Scheduling:Retry</c>) schedules the next attempt.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class WorkJob(IEnumerable<IScheduledWork> works, JobRunStore runs, TimeProvider time, ILogger<WorkJob> logger) : IJob
{
    /// <summary>Bookkeeping after a cancellation still has to reach the database, under its own deadline.</summary>
    private static readonly TimeSpan BookkeepingTimeout = TimeSpan.FromSeconds(10);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.JobDetail.Key.Name;
        var data = context.MergedJobDataMap;
        var scheduled = ScheduledFor(context, data);
        var kind = context.Recovering ? TriggerKind.Recovery
            : context.RetryAttempt > 0 ? TriggerKind.Retry
            : JobData.GetString(data, JobData.Kind) ?? TriggerKind.Schedule;
        var node = NodeOf(context.Scheduler);

        if (context.Recovering)
        {
            var abandoned = await runs.AbandonRunningAsync(name, time.GetUtcNow(), cancellationToken);
            Log.Recovered(logger, name, scheduled, abandoned);
        }

        var runId = await runs.StartAsync(
            new JobRunStart(name, node, context.FireInstanceId, kind, JobData.GetString(data, JobData.RequestId), scheduled, time.GetUtcNow(), context.RetryAttempt),
            cancellationToken);
        context.Result = new WorkRun(runId, null);
        var started = time.GetTimestamp();

        var work = works.FirstOrDefault(w => string.Equals(w.JobName, name, StringComparison.Ordinal));
        try
        {
            if (work is null)
            {
                throw new InvalidOperationException($"No work is registered for job '{name}' (the feature that provides it is not installed).");
            }

            Log.RunStarting(logger, name, kind, scheduled, context.RetryAttempt);
            var result = await work.RunAsync(scheduled, cancellationToken);
            await runs.FinishAsync(runId, JobRunOutcome.Ok, time.GetUtcNow(), null, result.Describe(), result.Link, cancellationToken);
            context.Result = new WorkRun(runId, result);
            Log.RunSucceeded(logger, name, time.GetElapsedTime(started).TotalSeconds, result.Describe());
            if (result.ContinueWith is { Length: > 0 } next)
            {
                await TriggerContinuationAsync(context.Scheduler, name, next, scheduled, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RecordAfterCancellationAsync(runId, JobRunOutcome.Cancelled, "Cancelled (shutdown or interrupt); the firing is handed back for recovery.");
            Log.RunCancelled(logger, name, time.GetElapsedTime(started).TotalSeconds);
            throw;
        }
        catch (Exception ex)
        {
            // Recorded as failed here; JobRunListener turns it into "retrying" when Quartz schedules another attempt.
            await RecordAfterCancellationAsync(runId, JobRunOutcome.Failed, ex.Message);
            Log.RunFailed(logger, ex, name, context.RetryAttempt, time.GetElapsedTime(started).TotalSeconds);
            throw new JobExecutionException(ex.Message, ex);
        }
    }

    /// <summary>The scheduler's cluster id, or the machine name for a single node.</summary>
    internal static string NodeOf(IScheduler scheduler) =>
        string.IsNullOrEmpty(scheduler.SchedulerInstanceId) || scheduler.SchedulerInstanceId == "NON_CLUSTERED"
            ? Environment.MachineName
            : scheduler.SchedulerInstanceId;

    private static DateTimeOffset ScheduledFor(IJobExecutionContext context, JobDataMap data)
    {
        if (JobData.GetString(data, JobData.ScheduledFor) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
    }

    private async Task TriggerContinuationAsync(IScheduler scheduler, string parent, string next, DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        var key = new JobKey(next, JobNames.Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            Log.ContinuationMissing(logger, parent, next);
            return;
        }

        await scheduler.TriggerJob(key, JobData.Continuation(parent, scheduled), cancellationToken);
        Log.ContinuationTriggered(logger, parent, next);
    }

    private async Task RecordAfterCancellationAsync(long runId, string outcome, string error)
    {
        // The job's token may be the reason we are here: the outcome must still be written, so it gets a deadline of its own.
        using var cts = new CancellationTokenSource(BookkeepingTimeout);
        try
        {
            await runs.FinishAsync(runId, outcome, time.GetUtcNow(), error, null, null, cts.Token);
        }
        catch (Exception ex)
        {
            Log.RecordFailed(logger, ex, runId);
        }
    }
}
