namespace ReportJob.NetFlow.Decoding;

/// <summary>One export stream: (exporter, version, Source ID / Observation Domain).</summary>
internal readonly record struct DomainKey(FlowAddress Exporter, NetFlowVersion Version, uint ObservationDomain);
