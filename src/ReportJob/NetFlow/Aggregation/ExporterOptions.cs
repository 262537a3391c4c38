namespace ReportJob.NetFlow;

/// <summary>Settings for one exporter, matched by the UDP source address of its datagrams.</summary>
public sealed class ExporterOptions
{
    /// <summary>The exporter's address (the UDP source address of its export packets), IPv4 or IPv6.</summary>
    public string Address { get; set; } = "";

    /// <summary>Operator override of the sampling interval (1 in N): wins over anything the exporter announces.</summary>
    public int? SamplingInterval { get; set; }

    /// <summary>Sampling interval assumed when this exporter announces none; default NetFlow:DefaultSamplingInterval.</summary>
    public int? DefaultSamplingInterval { get; set; }

    /// <summary><c>all</c>, <c>ingress-only</c> or <c>egress-only</c>; default NetFlow:Direction.</summary>
    public string? Direction { get; set; }
}
