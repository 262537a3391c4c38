namespace ReportJob.NetFlow.Decoding;

/// <summary>Per-packet values the record decoder needs (header times, stream state, sampling).</summary>
internal struct PacketContext
{
    public FlowAddress Exporter;
    public NetFlowVersion Version;
    public uint Domain;
    public uint ExportSeconds;
    public long ExportTicks;
    public uint SysUptime;
    public uint HeaderSampling;
    public uint SamplingOverride;
    public DomainState State;
}
