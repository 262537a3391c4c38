using System.Net;

namespace ReportJob.Snapshots;

/// <summary>A connection's addresses and ports: what it is, whatever its state. One per connection in a snapshot.</summary>
internal readonly record struct ConnectionKey(RunAddress Local, int LocalPort, RunAddress Remote, int RemotePort)
{
    public static ConnectionKey Of(in TcpConnection c) => new(RunAddress.From(c.LocalAddress), c.LocalPort, RunAddress.From(c.RemoteAddress), c.RemotePort);

    public static ConnectionKey Of(IPAddress local, int localPort, IPAddress remote, int remotePort) =>
        new(RunAddress.From(local), localPort, RunAddress.From(remote), remotePort);
}
