namespace ReportJob.NetFlow;

/// <summary>The measure a top list is ordered by.</summary>
public enum FlowMetric
{
    Bytes,
    Packets,
    Flows,
}
