namespace ReportJob.NetFlow;

/// <summary>One source's tiny flows in one hour: a summary and up to the evidence limit of distinct hosts and ports.</summary>
internal sealed class ScanSource
{
    public ScanTarget Summary;

    public Dictionary<FlowAddress, ScanTarget> Hosts { get; } = [];

    /// <summary>Keyed by protocol &lt;&lt; 16 | destination port.</summary>
    public Dictionary<int, ScanTarget> Ports { get; } = [];
}
