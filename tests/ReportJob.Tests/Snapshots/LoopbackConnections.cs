using System.Net;
using System.Net.Sockets;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// Real TCP connections on loopback, held open while a test looks at the connection table: an IPv4 listener
/// (rows in /proc/net/tcp) and a dual-mode IPv6 listener (rows in /proc/net/tcp6, IPv4 clients as ::ffff:127.0.0.1),
/// both on ephemeral ports; one accepted connection per listener is closed by its client, leaving the server side
/// in CLOSE_WAIT.
/// </summary>
internal sealed class LoopbackConnections : IDisposable
{
    private readonly List<Socket> _sockets = [];

    private LoopbackConnections()
    {
    }

    public int Port4 { get; private set; }

    public int Port6 { get; private set; }

    public int[] Ports => [Port4, Port6];

    public static async Task<LoopbackConnections> OpenAsync(int clientsPerListener = 4)
    {
        var c = new LoopbackConnections();
        try
        {
            var l4 = c.Listen(new IPEndPoint(IPAddress.Loopback, 0), dualMode: false);
            var l6 = c.Listen(new IPEndPoint(IPAddress.IPv6Any, 0), dualMode: true);
            c.Port4 = ((IPEndPoint)l4.LocalEndPoint!).Port;
            c.Port6 = ((IPEndPoint)l6.LocalEndPoint!).Port;
            await c.ConnectAsync(l4, IPAddress.Loopback, c.Port4, clientsPerListener);
            await c.ConnectAsync(l6, IPAddress.Loopback, c.Port6, clientsPerListener / 2);
            await c.ConnectAsync(l6, IPAddress.IPv6Loopback, c.Port6, clientsPerListener - (clientsPerListener / 2));
            await Task.Delay(100); // let the FIN of the closed clients arrive
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private Socket Listen(IPEndPoint endPoint, bool dualMode)
    {
        var s = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(s);
        if (dualMode)
        {
            s.DualMode = true;
        }

        s.Bind(endPoint);
        s.Listen(64);
        return s;
    }

    private async Task ConnectAsync(Socket listener, IPAddress address, int port, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(address, port);
            var accepted = await listener.AcceptAsync();
            _sockets.Add(accepted);
            if (i == 0 && address.Equals(IPAddress.Loopback))
            {
                client.Close(); // server side → CLOSE_WAIT (the client side goes FIN_WAIT2, on an ephemeral port)
            }
            else
            {
                _sockets.Add(client);
            }
        }
    }

    /// <summary>The 4-tuple and state of a connection, addresses in the normalised form.</summary>
    public static string Key(TcpConnection c) => $"{c.LocalAddress}:{c.LocalPort} {c.RemoteAddress}:{c.RemotePort} {c.State}";

    public void Dispose()
    {
        foreach (var s in _sockets)
        {
            s.Dispose();
        }
    }
}
