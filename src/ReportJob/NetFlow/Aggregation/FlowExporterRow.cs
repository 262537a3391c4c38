namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_exporter</c>.</summary>
internal sealed record FlowExporterRow(DateTime BucketStart, string Exporter, long Flows, long Packets, long Bytes, long RawPackets, long RawBytes, long SampledFlows, long SkippedFlows);
