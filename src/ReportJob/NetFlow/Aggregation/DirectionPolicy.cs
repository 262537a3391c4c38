namespace ReportJob.NetFlow;

/// <summary>
/// Which records of an exporter count: an exporter that exports on ingress and egress of the same interfaces reports
/// every transit flow twice (IE 61 flowDirection of RFC 5102: 0 ingress, 1 egress). Records without a
/// direction field always count.
/// </summary>
public enum DirectionPolicy
{
    /// <summary>Count every record (configuration value <c>all</c>).</summary>
    All,

    /// <summary>Count only records marked ingress (<c>ingress-only</c>).</summary>
    IngressOnly,

    /// <summary>Count only records marked egress (<c>egress-only</c>).</summary>
    EgressOnly,
}
