using Microsoft.Extensions.Logging;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>Marks a failed run as "retrying" when Quartz's retry policy has scheduled another attempt.</summary>
internal sealed class JobRunListener(JobRunStore runs, ILogger<JobRunListener> logger) : IJobListener
{
    public string Name => "reportjob-job-run";

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        if (jobException is null || !context.RetryScheduled || context.Result is not WorkRun run)
        {
            return;
        }

        try
        {
            await runs.SetOutcomeAsync(run.RunId, JobRunOutcome.Retrying, cancellationToken);
            Log.RetryScheduled(logger, context.JobDetail.Key.Name, context.RetryAttempt + 1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RecordFailed(logger, ex, run.RunId);
        }
    }
}
