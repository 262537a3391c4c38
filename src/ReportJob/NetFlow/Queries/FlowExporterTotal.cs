namespace ReportJob.NetFlow;

/// <summary>An exporter's traffic over a window: scaled and raw counters, flows that were sampled, and flows left out by the direction policy.</summary>
public sealed record FlowExporterTotal(string Exporter, long Flows, long Packets, long Bytes, long RawPackets, long RawBytes, long SampledFlows, long SkippedFlows);
