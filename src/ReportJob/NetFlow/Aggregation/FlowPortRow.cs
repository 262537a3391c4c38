namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_port</c>: port -1 holds the protocol's ports beyond the top N.</summary>
internal readonly record struct FlowPortRow(DateTime BucketStart, int Protocol, int Port, long Flows, long Packets, long Bytes);
