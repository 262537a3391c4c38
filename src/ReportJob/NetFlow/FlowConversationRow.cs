namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_conversation</c>.</summary>
internal sealed record FlowConversationRow(DateTime BucketStart, string Source, string Destination, int Protocol, int DestinationPort, long Flows, long Packets, long Bytes);
