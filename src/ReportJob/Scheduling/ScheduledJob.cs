using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Scheduling;

/// <summary>
/// The one Hangfire job: runs the <see cref="IScheduledWork"/> registered under a job's name. Failures propagate, so
/// that Hangfire's automatic retries (<c>Scheduling:Retry</c>) apply; the result shown in the dashboard is
/// <see cref="WorkResult.Describe"/>; a <see cref="WorkResult.ContinueWith"/> becomes a Hangfire continuation that runs
/// once this job has succeeded. At most one run of a job at a time (<see cref="JobRunLock"/>).
/// </summary>
internal sealed class ScheduledJob(
    IEnumerable<IScheduledWork> works,
    JobRunLock locks,
    IBackgroundJobClient client,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<ScheduledJob> logger)
{
    /// <summary>What a run skipped because another run of the same job was still going returns (its dashboard result).</summary>
    public const string SkippedPrefix = "skipped: ";

    /// <summary>A hash in Hangfire's storage: job name → id of its last continuation job.</summary>
    public const string LastContinuationHash = "reportjob:last-continuation";

    /// <summary>
    /// Runs <paramref name="job"/> once. <paramref name="scheduledFor"/> is set for a continuation (its parent's scheduled
    /// time); otherwise the time is the occurrence Hangfire triggered the recurring job for (its <c>Time</c> parameter:
    /// the missed occurrence itself under <c>CatchUpMissedReports: All</c>), and a retry keeps it.
    /// </summary>
    [DisplayName("{0}")]
    public async Task<string> RunAsync(string job, DateTimeOffset? scheduledFor, PerformContext? context, CancellationToken cancellationToken)
    {
        var work = works.FirstOrDefault(w => string.Equals(w.JobName, job, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No work is registered for job '{job}' (the feature that provides it is not installed).");
        var scheduled = scheduledFor ?? OccurrenceOf(context) ?? time.GetUtcNow();
        var attempt = context?.GetJobParameter<int?>("RetryCount") ?? 0;

        // A later run of the same job does what a skipped one would have done (collect, ingest, purge); a run with a day
        // of its own (a catch-up report, a continuation) waits for the running one instead.
        var waits = scheduledFor is not null || (options.Value.Jobs.TryGetValue(job, out var o) && o.CatchUp);
        await using var held = waits ? await locks.TakeAsync(job, cancellationToken) : await locks.TryTakeAsync(job, cancellationToken);
        if (held is null)
        {
            Log.RunSkipped(logger, job, scheduled);
            return SkippedPrefix + "a run of " + job + " was still going";
        }

        Log.RunStarting(logger, job, scheduled, attempt);
        var started = time.GetTimestamp();
        WorkResult result;
        try
        {
            result = await work.RunAsync(scheduled, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: Hangfire puts the job back in its queue, and a job server runs it again.
            Log.RunCancelled(logger, job, time.GetElapsedTime(started).TotalSeconds);
            throw;
        }
        catch (Exception ex)
        {
            Log.RunFailed(logger, ex, job, attempt, time.GetElapsedTime(started).TotalSeconds);
            throw;
        }

        Log.RunSucceeded(logger, job, time.GetElapsedTime(started).TotalSeconds, result.Describe());
        if (result.ContinueWith is { Length: > 0 } next && context is not null)
        {
            Continue(context, job, next, scheduled);
        }

        return result.Describe();
    }

    /// <summary>The occurrence a recurring job was triggered for: Hangfire's <c>Time</c> job parameter (Unix seconds).</summary>
    private static DateTimeOffset? OccurrenceOf(PerformContext? context) =>
        context?.GetJobParameter<long?>("Time") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private void Continue(PerformContext context, string parent, string next, DateTimeOffset scheduled)
    {
        if (!options.Value.Jobs.TryGetValue(next, out var o) || !o.Enabled || !works.Any(w => w.JobName == next))
        {
            Log.ContinuationMissing(logger, parent, next);
            return;
        }

        // Created while this job is still processing: Hangfire enqueues it when this one succeeds, and never if it fails.
        var id = client.ContinueJobWith<ScheduledJob>(context.BackgroundJob.Id, j => j.RunAsync(next, scheduled, null, CancellationToken.None), new EnqueuedState(), JobContinuationOptions.OnlyOnSucceededState);
        // A continuation is no trigger of its own recurring job: where `jobs list` and /health find its last run.
        context.Connection.SetRangeInHash(LastContinuationHash, [new KeyValuePair<string, string>(next, id)]);
        Log.ContinuationCreated(logger, parent, next, id);
    }
}
