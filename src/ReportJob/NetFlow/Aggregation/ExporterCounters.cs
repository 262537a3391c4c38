namespace ReportJob.NetFlow;

/// <summary>Per exporter and bucket: scaled and raw counters, so the sampling policy stays visible in the store.</summary>
internal struct ExporterCounters
{
    public FlowCounters Scaled;
    public long RawPackets;
    public long RawBytes;
    public long SampledFlows;
    public long SkippedFlows;
}
