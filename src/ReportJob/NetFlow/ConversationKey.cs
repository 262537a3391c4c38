namespace ReportJob.NetFlow;

/// <summary>A conversation (source, destination, protocol, destination port) in one bucket.</summary>
internal readonly record struct ConversationKey(long Bucket, FlowAddress Source, FlowAddress Destination, byte Protocol, ushort DestinationPort);
