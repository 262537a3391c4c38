namespace ReportJob.NetFlow;

/// <summary>
/// What a collector run did: datagrams received and written, receive errors, files completed, the kernel's count of
/// datagrams dropped for a full buffer (Linux; -1 when unknown), and the socket receive buffer the OS granted.
/// </summary>
public sealed record CollectorCounters(long Received, long Written, long Dropped, long Files, long KernelDrops, int ReceiveBufferBytes);
