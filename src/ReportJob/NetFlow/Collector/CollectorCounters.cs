namespace ReportJob.NetFlow;

/// <summary>
/// What a collector run did: datagrams received and written, receive errors, files completed, the kernel's count of
/// datagrams dropped for a full buffer (Linux; -1 when unknown), the socket receive buffer the OS granted, and the
/// datagrams received but not written because the disk refused them (full) for longer than the writer could hold them.
/// </summary>
public sealed record CollectorCounters(long Received, long Written, long Dropped, long Files, long KernelDrops, int ReceiveBufferBytes, long NotWritten);
