namespace ReportJob.NetFlow;

/// <summary>The rows of one drain of the aggregator, written in the file's transaction.</summary>
internal sealed class FlowBatch
{
    public List<FlowExporterRow> Exporters { get; } = [];

    public List<FlowHostRow> Hosts { get; } = [];

    public List<FlowConversationRow> Conversations { get; } = [];

    public List<FlowPortRow> Ports { get; } = [];

    public List<FlowSiteRow> Sites { get; } = [];

    public List<FlowScanEvidenceRow> ScanEvidence { get; } = [];

    public List<FlowPeerEvidenceRow> PeerEvidence { get; } = [];

    public int RowCount => Exporters.Count + Hosts.Count + Conversations.Count + Ports.Count + Sites.Count + ScanEvidence.Count + PeerEvidence.Count;

    /// <summary>Empties the batch for the next rows, keeping the lists' capacity (the writer reuses one batch for a whole file).</summary>
    public void Clear()
    {
        Exporters.Clear();
        Hosts.Clear();
        Conversations.Clear();
        Ports.Clear();
        Sites.Clear();
        ScanEvidence.Clear();
        PeerEvidence.Clear();
    }
}
