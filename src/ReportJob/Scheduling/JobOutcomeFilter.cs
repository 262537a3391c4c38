using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace ReportJob.Scheduling;

/// <summary>
/// Counts each outcome of a ReportJob job as Hangfire applies it (<c>reportjob_job_runs_total</c>) and logs retries:
/// a failed run that Hangfire's automatic retry scheduled again moves from Processing to Scheduled.
/// </summary>
internal sealed class JobOutcomeFilter(StatusMetrics metrics, ILogger<JobOutcomeFilter> logger) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.BackgroundJob.Job is not { } job || job.Type != typeof(ScheduledJob) || job.Args.Count == 0 || job.Args[0] is not string name)
        {
            return;
        }

        var outcome = context.NewState switch
        {
            SucceededState s when s.Result is string r && r.StartsWith(ScheduledJob.SkippedPrefix, StringComparison.Ordinal) => "skipped",
            SucceededState => "succeeded",
            FailedState => "failed",
            DeletedState => "deleted",
            ScheduledState s when context.OldStateName == ProcessingState.StateName => Retrying(name, s),
            _ => null,
        };
        if (outcome is not null)
        {
            metrics.CountOutcome(name, outcome);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private string Retrying(string job, ScheduledState state)
    {
        Log.RetryScheduled(logger, job, state.EnqueueAt, state.Reason ?? "");
        return "retrying";
    }
}
