namespace ReportJob.NetFlow;

/// <summary>What a collector run did: datagrams received and written, receive errors, files completed, and the kernel's count of datagrams dropped for a full buffer (Linux; -1 when unknown).</summary>
public sealed record CollectorCounters(long Received, long Written, long Dropped, long Files, long KernelDrops);
