using System.ComponentModel.DataAnnotations;

namespace ReportJob.NetFlow;

/// <summary>The collector (<c>reportjob listen</c>): receives exports and writes rotated pcap files for the inbox.</summary>
public sealed class ListenOptions
{
    /// <summary><c>udp</c> (NetFlow v5/v9, IPFIX), <c>tcp</c> (IPFIX, RFC 7011 §10.4) or <c>sctp</c> (v9/IPFIX, where the kernel has SCTP).</summary>
    public ListenTransport Transport { get; set; } = ListenTransport.Udp;

    /// <summary>Port to receive NetFlow v5/v9/IPFIX on.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 2055;

    /// <summary>Address to bind; <c>::</c> receives IPv4 and IPv6 (dual stack), <c>0.0.0.0</c> IPv4 only.</summary>
    public string Bind { get; set; } = "::";

    /// <summary>Folder the pcap files go to (normally NetFlow:InboxPath); a file is <c>.partial</c> until complete.</summary>
    public string OutputPath { get; set; } = "./inbox/netflow";

    /// <summary>Start a new file after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RotateEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Start a new file when the current one reaches this many bytes.</summary>
    [Range(4096L, 1L << 40)]
    public long RotateBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Socket receive buffer asked of the OS (on Linux forced past net.core.rmem_max with CAP_NET_ADMIN, else capped at it; the granted size is logged).</summary>
    [Range(65536, 1 << 30)]
    public int ReceiveBufferBytes { get; set; } = 8 * 1024 * 1024;
}
