namespace ReportJob.NetFlow;

/// <summary>Aggregates handed from the decoding thread to the writing thread, which owns them from then on.</summary>
internal sealed class FlowDrain
{
    public List<BucketAggregate> Buckets { get; } = [];

    public List<HourDetections> Detections { get; } = [];

    public bool IsEmpty => Buckets.Count == 0 && Detections.Count == 0 && Rows is null;

    /// <summary>Rows already made (by the decoding thread, for the last drain of a file): the writer only writes them.</summary>
    public FlowBatch? Rows { get; init; }

    /// <summary>The array the buckets' conversations were moved to (each bucket has its part), or null.</summary>
    public AggregateTable<ConversationKey, FlowCounters>.Entry[]? Conversations { get; set; }

    /// <summary>The rows of everything in this drain (top N + "(other)" per bucket, detection evidence per hour).</summary>
    public FlowBatch ToBatch(SiteResolver sites, int topN, BucketTotals totals)
    {
        var batch = new FlowBatch();
        var next = 0;
        AppendRows(batch, ref next, sites, topN, totals, int.MaxValue);
        return batch;
    }

    /// <summary>
    /// Appends the rows of the buckets from <paramref name="next"/> on (advanced) until the batch holds
    /// <paramref name="maxRows"/> rows or more: false, call again with a new batch for the rest; true once every bucket
    /// and then the detection evidence are in.
    /// </summary>
    public bool AppendRows(FlowBatch batch, ref int next, SiteResolver sites, int topN, BucketTotals totals, int maxRows)
    {
        for (; next < Buckets.Count; next++)
        {
            if (batch.RowCount >= maxRows)
            {
                return false;
            }

            Buckets[next].AppendRows(batch, sites, topN, totals);
        }

        foreach (var d in Detections)
        {
            d.AppendRows(batch);
        }

        return true;
    }
}
