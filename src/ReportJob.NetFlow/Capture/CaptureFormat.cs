namespace ReportJob.NetFlow.Decoding;

/// <summary>The container format a <see cref="CaptureReader"/> detected from the file's magic.</summary>
public enum CaptureFormat
{
    /// <summary>libpcap, either byte order, microsecond or nanosecond timestamps.</summary>
    Pcap,

    /// <summary>pcapng (SHB/IDB/EPB/SPB, several interfaces and sections).</summary>
    PcapNg,

    /// <summary>Raw export datagrams concatenated (collectors' test .dat files).</summary>
    RawDatagrams,
}
