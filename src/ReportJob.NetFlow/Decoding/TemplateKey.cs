namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Template identity: exporter address, version, Source ID / Observation Domain, template id.
/// Never the UDP source port (RFC 3954 §5.1; NAT and restarts change it).
/// </summary>
/// <param name="Exporter">Exporter address.</param>
/// <param name="Version">v9 or IPFIX (their templates are kept apart).</param>
/// <param name="ObservationDomain">Source ID (v9) or Observation Domain ID (IPFIX).</param>
/// <param name="TemplateId">Template id (≥ 256).</param>
public readonly record struct TemplateKey(FlowAddress Exporter, NetFlowVersion Version, uint ObservationDomain, ushort TemplateId)
{
    internal DomainKey Domain => new(Exporter, Version, ObservationDomain);
}
