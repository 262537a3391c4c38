using System.Net;

namespace ReportJob.Snapshots;

/// <summary>A connection's addresses and ports: what it is, whatever its state. One per connection in a snapshot.</summary>
internal readonly record struct ConnectionKey(RunAddress Local, int LocalPort, RunAddress Remote, int RemotePort)
{
    public bool Equals(ConnectionKey other) =>
        LocalPort == other.LocalPort && RemotePort == other.RemotePort && Remote.Equals(other.Remote) && Local.Equals(other.Local);

    // Clients hold many connections to one local address: the remote address and port tell them apart.
    public override int GetHashCode() =>
        HashCode.Combine((ulong)Remote.Bits, (ulong)(Remote.Bits >> 64), RemotePort, LocalPort, (ulong)Local.Bits ^ (ulong)(Local.Bits >> 64), Remote.ScopeId ^ Local.ScopeId);

    public static ConnectionKey Of(in TcpConnection c) => new(RunAddress.From(c.LocalAddress), c.LocalPort, RunAddress.From(c.RemoteAddress), c.RemotePort);

    public static ConnectionKey Of(IPAddress local, int localPort, IPAddress remote, int remotePort) =>
        new(RunAddress.From(local), localPort, RunAddress.From(remote), remotePort);
}
