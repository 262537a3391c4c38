using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// A row of <c>flow_conversation</c>; <paramref name="IsOther"/>: the sum of the conversations outside the top N
/// (stored with <see cref="FlowAggregator.Other"/> as both addresses and -1 as protocol and port).
/// </summary>
internal readonly record struct FlowConversationRow(
    DateTime BucketStart, FlowAddress Source, FlowAddress Destination, int Protocol, int ServicePort, long Flows, long Packets, long Bytes, bool IsOther = false);
