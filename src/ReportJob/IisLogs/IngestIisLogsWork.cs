using ReportJob.Scheduling;

namespace ReportJob.IisLogs;

/// <summary>The <c>ingest-iis-logs</c> job: imports what the IIS log drop folder holds.</summary>
internal sealed class IngestIisLogsWork(IisLogInbox inbox) : IScheduledWork
{
    public string JobName => JobNames.IngestIisLogs;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var result = await inbox.ProcessAsync(cancellationToken);
        return new WorkResult($"{result.Files.Count} log file(s) processed, {result.Waiting} waiting to settle")
        {
            Counts = new Dictionary<string, long> { ["files"] = result.Files.Count, ["failed"] = result.Failed.Count },
        };
    }
}
