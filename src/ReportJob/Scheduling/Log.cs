using Microsoft.Extensions.Logging;

namespace ReportJob.Scheduling;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Job {Job} starting (scheduled {Scheduled:O}, retry {Attempt})")]
    public static partial void RunStarting(ILogger logger, string job, DateTimeOffset scheduled, int attempt);

    [LoggerMessage(5002, LogLevel.Information, "Job {Job} succeeded in {Seconds:0.00} s: {Summary}")]
    public static partial void RunSucceeded(ILogger logger, string job, double seconds, string summary);

    [LoggerMessage(5003, LogLevel.Error, "Job {Job} failed (retry {Attempt}) after {Seconds:0.00} s")]
    public static partial void RunFailed(ILogger logger, Exception exception, string job, int attempt, double seconds);

    [LoggerMessage(5004, LogLevel.Warning, "Job {Job} cancelled after {Seconds:0.00} s; it goes back to the queue and runs again")]
    public static partial void RunCancelled(ILogger logger, string job, double seconds);

    [LoggerMessage(5005, LogLevel.Information, "Job {Job} will be retried at {At:O}: {Reason}")]
    public static partial void RetryScheduled(ILogger logger, string job, DateTime at, string reason);

    [LoggerMessage(5006, LogLevel.Information, "Job {Job} (scheduled {Scheduled:O}) skipped: a run of it is still going")]
    public static partial void RunSkipped(ILogger logger, string job, DateTimeOffset scheduled);

    [LoggerMessage(5007, LogLevel.Information, "Job {Parent} continues with {Job} (Hangfire job {JobId}) once it has succeeded")]
    public static partial void ContinuationCreated(ILogger logger, string parent, string job, string jobId);

    [LoggerMessage(5008, LogLevel.Warning, "Job {Parent} asked to continue with {Job}, which is not enabled or has no work registered")]
    public static partial void ContinuationMissing(ILogger logger, string parent, string job);

    [LoggerMessage(5010, LogLevel.Information, "Job {Job} scheduled: cron '{Cron}' in {TimeZone}, missed occurrences: {Misfire}")]
    public static partial void JobScheduled(ILogger logger, string job, string cron, string timeZone, string misfire);

    [LoggerMessage(5011, LogLevel.Information, "Job {Job} registered without a schedule (runs when triggered)")]
    public static partial void JobOnDemand(ILogger logger, string job);

    [LoggerMessage(5012, LogLevel.Information, "Job {Job} is disabled; removed from the job storage")]
    public static partial void JobDisabled(ILogger logger, string job);

    [LoggerMessage(5013, LogLevel.Warning, "Job {Job} is enabled but no work is registered for it (feature not installed); not scheduled")]
    public static partial void JobWithoutWork(ILogger logger, string job);

    [LoggerMessage(5014, LogLevel.Information, "Retention: deleted {Rows} row(s) from {Table} older than {Cutoff:O}")]
    public static partial void RetentionRows(ILogger logger, string table, long rows, DateTime cutoff);

    [LoggerMessage(5015, LogLevel.Information, "Retention: deleted {Files} file(s) from {Folder} older than {Cutoff:O}")]
    public static partial void RetentionFiles(ILogger logger, string folder, int files, DateTime cutoff);

    [LoggerMessage(5016, LogLevel.Information, "Job {Job} triggered by hand (Hangfire job {JobId})")]
    public static partial void TriggeredByHand(ILogger logger, string job, string jobId);

    [LoggerMessage(5017, LogLevel.Information, "Dashboard, /health and /metrics listening on {Addresses}")]
    public static partial void StatusListening(ILogger logger, string addresses);

    [LoggerMessage(5018, LogLevel.Warning, "Dashboard refused {Path} from {Remote}: {Reason}")]
    public static partial void StatusRefused(ILogger logger, string path, string remote, string reason);

    [LoggerMessage(5019, LogLevel.Information, "Job {Job} removed from the job storage (no longer configured)")]
    public static partial void JobRemoved(ILogger logger, string job);

    [LoggerMessage(5020, LogLevel.Error, "/health: the job storage did not answer")]
    public static partial void HealthStorageFailed(ILogger logger, Exception exception);

    [LoggerMessage(5021, LogLevel.Warning, "The job server did not stop within Scheduling:ShutdownTimeout; jobs still running go back to the queue")]
    public static partial void ShutdownTimedOut(ILogger logger);

    /// <summary>Hangfire's own messages arrive as finished text, at their own level.</summary>
    [LoggerMessage(EventId = 5030, Message = "{Message}")]
    public static partial void Hangfire(ILogger logger, LogLevel level, Exception? exception, string message);
}
