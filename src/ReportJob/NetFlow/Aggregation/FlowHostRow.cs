using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// A row of <c>flow_host</c>: role 0 = as source, 1 = as destination; <paramref name="IsOther"/>: the sum of the hosts
/// outside the top N (stored as <see cref="FlowAggregator.Other"/>). The address stays binary until it is written.
/// </summary>
internal readonly record struct FlowHostRow(DateTime BucketStart, int Role, FlowAddress Address, long Flows, long Packets, long Bytes, bool IsOther = false);
