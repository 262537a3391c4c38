namespace ReportJob.NetFlow.Decoding;

/// <summary>The flow export protocol versions this library decodes.</summary>
public enum NetFlowVersion
{
    /// <summary>Cisco NetFlow v5 (fixed 48-byte records).</summary>
    V5 = 5,

    /// <summary>NetFlow v9, RFC 3954.</summary>
    V9 = 9,

    /// <summary>IPFIX, RFC 7011.</summary>
    Ipfix = 10,
}
