namespace ReportJob.NetFlow.Decoding;

/// <summary>Counters of a <see cref="CaptureReader"/>.</summary>
public sealed class CaptureStatistics
{
    /// <summary>Frames (packet records/blocks) read.</summary>
    public long Frames { get; internal set; }

    /// <summary>UDP datagrams returned.</summary>
    public long UdpDatagrams { get; internal set; }

    /// <summary>Frames that were not IPv4/IPv6 (ARP, LLDP…) or of an unsupported link type.</summary>
    public long SkippedNonIp { get; internal set; }

    /// <summary>IP packets that were not UDP.</summary>
    public long SkippedNonUdp { get; internal set; }

    /// <summary>UDP datagrams filtered out (port filter, or not a flow export).</summary>
    public long SkippedFiltered { get; internal set; }

    /// <summary>Frames cut short by the snap length or inconsistent lengths.</summary>
    public long TruncatedFrames { get; internal set; }

    /// <summary>IPv4 fragments received.</summary>
    public long FragmentsReceived { get; internal set; }

    /// <summary>Datagrams reassembled from fragments.</summary>
    public long DatagramsReassembled { get; internal set; }

    /// <summary>Fragments dropped (timeout, table full, inconsistent, or IPv6 fragments).</summary>
    public long FragmentsDropped { get; internal set; }
}
