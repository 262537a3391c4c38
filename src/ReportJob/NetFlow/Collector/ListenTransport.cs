namespace ReportJob.NetFlow;

/// <summary>How exporters reach the collector (<c>listen --transport</c>).</summary>
public enum ListenTransport
{
    /// <summary>NetFlow v5/v9 and IPFIX datagrams (RFC 3954 §1, RFC 7011 §10.3).</summary>
    Udp,

    /// <summary>IPFIX messages on TCP connections, framed by their length (RFC 7011 §10.4); NetFlow v5 framed by its record count.</summary>
    Tcp,

    /// <summary>NetFlow v9 or IPFIX messages on SCTP associations (RFC 7011 §10.2), one message per SCTP message; where the kernel has SCTP.</summary>
    Sctp,
}
