namespace ReportJob.NetFlow;

/// <summary>Aggregates handed from the decoding thread to the writing thread, which owns them from then on.</summary>
internal sealed class FlowDrain
{
    public List<BucketAggregate> Buckets { get; } = [];

    public List<ScanTracker> Scans { get; } = [];

    public bool IsEmpty => Buckets.Count == 0 && Scans.Count == 0;

    /// <summary>The array the buckets' conversations were moved to (each bucket has its part), or null.</summary>
    public AggregateTable<ConversationKey, FlowCounters>.Entry[]? Conversations { get; set; }

    /// <summary>The rows of everything in this drain (top N + "(other)" per bucket, scan evidence per source and hour).</summary>
    public FlowBatch ToBatch(SiteResolver sites, int topN, BucketTotals totals)
    {
        var batch = new FlowBatch();
        foreach (var b in Buckets)
        {
            b.AppendRows(batch, sites, topN, totals);
        }

        foreach (var s in Scans)
        {
            s.AppendRows(batch.ScanEvidence);
        }

        return batch;
    }
}
