namespace ReportJob.NetFlow;

/// <summary>A host in one bucket (bucket = start ticks, UTC).</summary>
internal readonly record struct HostKey(long Bucket, FlowAddress Address);
