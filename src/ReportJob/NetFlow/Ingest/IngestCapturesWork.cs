using ReportJob.Scheduling;

namespace ReportJob.NetFlow;

/// <summary>The <c>ingest-captures</c> job: decodes and aggregates what the NetFlow inbox holds (the collector's rotated files, copied captures).</summary>
internal sealed class IngestCapturesWork(FlowIngestor ingestor) : IScheduledWork
{
    public string JobName => JobNames.IngestCaptures;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var outcomes = await ingestor.IngestInboxAsync(cancellationToken);
        var failed = outcomes.Count(o => o.Status == IngestStatus.Failed);
        return new WorkResult($"{outcomes.Count} capture(s) processed, {failed} failed")
        {
            Counts = new Dictionary<string, long>
            {
                ["flows"] = outcomes.Sum(o => o.FlowRecords),
                ["rows"] = outcomes.Sum(o => o.Rows),
                ["failed"] = failed,
            },
        };
    }
}
