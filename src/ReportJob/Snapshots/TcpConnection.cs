using System.Net;

namespace ReportJob.Snapshots;

/// <summary>One row of a TCP connection table. IPv4-mapped IPv6 addresses are given as IPv4.</summary>
public readonly record struct TcpConnection(
    IPAddress LocalAddress,
    int LocalPort,
    IPAddress RemoteAddress,
    int RemotePort,
    TcpState State,
    DateTime? CreatedAtUtc = null,
    int? ProcessId = null)
{
    public bool IsLoopback => IPAddress.IsLoopback(RemoteAddress) || IPAddress.IsLoopback(LocalAddress);
}
