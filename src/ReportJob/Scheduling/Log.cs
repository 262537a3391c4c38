using Microsoft.Extensions.Logging;

namespace ReportJob.Scheduling;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Job {Job} starting ({Kind}, scheduled {Scheduled:O}, retry {Attempt})")]
    public static partial void RunStarting(ILogger logger, string job, string kind, DateTimeOffset scheduled, int attempt);

    [LoggerMessage(5002, LogLevel.Information, "Job {Job} succeeded in {Seconds:0.00} s: {Summary}")]
    public static partial void RunSucceeded(ILogger logger, string job, double seconds, string summary);

    [LoggerMessage(5003, LogLevel.Error, "Job {Job} failed (retry {Attempt}) after {Seconds:0.00} s")]
    public static partial void RunFailed(ILogger logger, Exception exception, string job, int attempt, double seconds);

    [LoggerMessage(5004, LogLevel.Warning, "Job {Job} cancelled after {Seconds:0.00} s; the firing is handed back for recovery")]
    public static partial void RunCancelled(ILogger logger, string job, double seconds);

    [LoggerMessage(5005, LogLevel.Information, "Job {Job} will be retried (retry {Attempt})")]
    public static partial void RetryScheduled(ILogger logger, string job, int attempt);

    [LoggerMessage(5006, LogLevel.Warning, "Job {Job}: recovering the firing scheduled {Scheduled:O} after its node stopped ({Abandoned} run(s) marked abandoned)")]
    public static partial void Recovered(ILogger logger, string job, DateTimeOffset scheduled, int abandoned);

    [LoggerMessage(5007, LogLevel.Information, "Job {Parent} continues with {Job}")]
    public static partial void ContinuationTriggered(ILogger logger, string parent, string job);

    [LoggerMessage(5008, LogLevel.Warning, "Job {Parent} asked to continue with {Job}, which is not scheduled (disabled, or no work registered)")]
    public static partial void ContinuationMissing(ILogger logger, string parent, string job);

    [LoggerMessage(5009, LogLevel.Error, "Could not record the outcome of run {RunId} in job_run")]
    public static partial void RecordFailed(ILogger logger, Exception exception, long runId);

    [LoggerMessage(5010, LogLevel.Information, "Job {Job} scheduled: cron '{Cron}' in {TimeZone}, next {Next:O}")]
    public static partial void JobScheduled(ILogger logger, string job, string cron, string timeZone, DateTimeOffset? next);

    [LoggerMessage(5011, LogLevel.Information, "Job {Job} registered without a schedule (runs when triggered)")]
    public static partial void JobOnDemand(ILogger logger, string job);

    [LoggerMessage(5012, LogLevel.Information, "Job {Job} is disabled; removed from the job store")]
    public static partial void JobDisabled(ILogger logger, string job);

    [LoggerMessage(5013, LogLevel.Warning, "Job {Job} is enabled but no work is registered for it (feature not installed); not scheduled")]
    public static partial void JobWithoutWork(ILogger logger, string job);

    [LoggerMessage(5014, LogLevel.Information, "Retention: deleted {Rows} row(s) from {Table} older than {Cutoff:O}")]
    public static partial void RetentionRows(ILogger logger, string table, long rows, DateTime cutoff);

    [LoggerMessage(5015, LogLevel.Information, "Retention: deleted {Files} file(s) from {Folder} older than {Cutoff:O}")]
    public static partial void RetentionFiles(ILogger logger, string folder, int files, DateTime cutoff);

    [LoggerMessage(5016, LogLevel.Information, "Job {Job} triggered by hand (request {RequestId})")]
    public static partial void TriggeredByHand(ILogger logger, string job, string requestId);

    [LoggerMessage(5017, LogLevel.Information, "Status page listening on {Addresses}")]
    public static partial void StatusListening(ILogger logger, string addresses);

    [LoggerMessage(5018, LogLevel.Warning, "Status page refused {Path} from {Remote}: {Reason}")]
    public static partial void StatusRefused(ILogger logger, string path, string remote, string reason);

    [LoggerMessage(5019, LogLevel.Information, "Job {Job} removed from the job store (no longer configured)")]
    public static partial void JobRemoved(ILogger logger, string job);
}
