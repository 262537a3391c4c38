namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_host</c>: role 0 = as source, 1 = as destination.</summary>
internal sealed record FlowHostRow(DateTime BucketStart, int Role, string Address, long Flows, long Packets, long Bytes);
