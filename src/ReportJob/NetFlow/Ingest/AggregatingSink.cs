using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// The decoder's sink: a struct, so <c>FlowDecoder.Decode</c> is specialised for it. Counts each record into the
/// aggregator and into the quality counters of the stream the current datagram belongs to.
/// </summary>
internal struct AggregatingSink(FlowAggregator aggregator) : IFlowSink
{
    /// <summary>The stream of the datagram being decoded (set by the ingestor before each datagram).</summary>
    public QualityCounters Current { get; set; } = new();

    public readonly void OnFlow(in FlowRecord record, FlowFields fields)
    {
        var q = Current;
        q.FlowRecords++;
        q.SeeExport(record.ExportTimeUtc.Ticks);
        if (aggregator.Add(record, out var sampling))
        {
            q.SeeSampling(sampling);
        }
        else
        {
            q.SkippedFlows++;
        }
    }

    public readonly void OnOptions(in OptionsRecord record, FlowFields fields) => Current.OptionsRecords++;

    public readonly void OnTemplate(in TemplateEvent templateEvent)
    {
    }
}
