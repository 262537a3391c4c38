namespace ReportJob.NetFlow;

/// <summary>
/// What a collector run did: datagrams (messages) received and written, receive errors, files completed, the kernel's
/// count of datagrams dropped for a full buffer (Linux UDP; -1 when unknown or not UDP), the socket receive buffer the OS
/// granted, and the datagrams received but not written because the disk refused them (full) for longer than the writer
/// could hold them.
/// </summary>
public sealed record CollectorCounters(long Received, long Written, long Dropped, long Files, long KernelDrops, int ReceiveBufferBytes, long NotWritten)
{
    /// <summary>TCP/SCTP: connections accepted.</summary>
    public long Connections { get; init; }

    /// <summary>TCP/SCTP: messages lost whole: cut short by a connection that ended, in a stream that could not be framed, or too large for a capture record.</summary>
    public long Incomplete { get; init; }
}
