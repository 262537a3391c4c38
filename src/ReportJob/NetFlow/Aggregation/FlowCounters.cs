namespace ReportJob.NetFlow;

/// <summary>Flows, packets and bytes of one aggregate key (sampling applied); updated in place in its dictionary.</summary>
internal struct FlowCounters
{
    public long Flows;
    public long Packets;
    public long Bytes;

    public void Add(long flows, long packets, long bytes)
    {
        Flows += flows;
        Packets += packets;
        Bytes += bytes;
    }

    public void Add(in FlowCounters other) => Add(other.Flows, other.Packets, other.Bytes);
}
