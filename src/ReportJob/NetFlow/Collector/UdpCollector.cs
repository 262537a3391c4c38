using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

/// <summary>
/// Receives NetFlow v5/v9/IPFIX over UDP (IPv4 and IPv6; dual stack when bound to <c>::</c>) with a large socket
/// receive buffer, and writes every datagram to rotated pcap files for the ingest. Stops gracefully when the token is
/// cancelled (Ctrl+C): the current file is completed.
/// </summary>
internal sealed class UdpCollector(TimeProvider time, ILogger<UdpCollector> logger)
{
    private long _received;
    private long _dropped;

    /// <summary>Raised once the socket is bound, with the local endpoint (tests wait for it).</summary>
    public event Action<IPEndPoint>? Bound;

    public async Task<CollectorCounters> RunAsync(ListenSettings settings, CancellationToken cancellationToken)
    {
        using var socket = new Socket(settings.Bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (settings.Bind.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        var granted = SetReceiveBuffer(socket, settings.ReceiveBufferBytes);
        socket.Bind(new IPEndPoint(settings.Bind, settings.Port));
        var local = (IPEndPoint)socket.LocalEndPoint!;
        Log.Listening(logger, local.ToString(), settings.ReceiveBufferBytes, granted, Path.GetFullPath(settings.OutputPath));
        if (granted < settings.ReceiveBufferBytes)
        {
            Log.ReceiveBufferCapped(logger, granted, settings.ReceiveBufferBytes);
        }

        var kernelDropsAtStart = KernelUdpDrops.Read(local.Port);
        var output = new CollectorOutput(settings, time, logger);
        await using (output)
        {
            Bound?.Invoke(local);
            await ReceiveAsync(socket, settings, local, output, cancellationToken);
        }

        var kernelDrops = kernelDropsAtStart < 0 ? -1 : Math.Max(0, KernelUdpDrops.Read(local.Port) - kernelDropsAtStart);
        var counters = new CollectorCounters(Interlocked.Read(ref _received), output.Written, Interlocked.Read(ref _dropped), output.Files, kernelDrops, granted, output.NotWritten);
        Log.CollectorStopped(logger, counters.Received, counters.Written, counters.Dropped + Math.Max(0, counters.KernelDrops) + counters.NotWritten, counters.Files);
        return counters;
    }

    private async Task ReceiveAsync(Socket socket, ListenSettings settings, IPEndPoint local, CollectorOutput output, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateArray<byte>(65_536, pinned: true);
        EndPoint any = settings.Bind.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveFromResult result;
                try
                {
                    result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
                }
                catch (SocketException ex)
                {
                    // E.g. ICMP port unreachable reflected on some platforms, or a datagram larger than the buffer.
                    Interlocked.Increment(ref _dropped);
                    Log.ReceiveFailed(logger, ex.SocketErrorCode.ToString(), Interlocked.Read(ref _dropped));
                    continue;
                }

                Interlocked.Increment(ref _received);
                var source = Normalize((IPEndPoint)result.RemoteEndPoint);
                output.Write(buffer.AsSpan(0, result.ReceivedBytes), source, LocalFor(source, settings.Bind, local.Port));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or the job stopping: the normal end of a collector run.
        }
    }

    /// <summary>The collector's address as a record's destination: the bound one, or "any" of the source's family on a dual-stack socket.</summary>
    internal static IPEndPoint LocalFor(IPEndPoint source, IPAddress bind, int port) => new(
        source.AddressFamily == AddressFamily.InterNetwork
            ? (bind.AddressFamily == AddressFamily.InterNetwork ? bind : IPAddress.Any)
            : (bind.AddressFamily == AddressFamily.InterNetworkV6 ? bind : IPAddress.IPv6Any),
        port);

    /// <summary>
    /// Asks for the receive buffer; returns the bytes granted. On Linux the size is first forced past
    /// <c>net.core.rmem_max</c> (SO_RCVBUFFORCE, which needs CAP_NET_ADMIN, e.g. root): bursts of exports then wait in
    /// the buffer instead of being dropped (the benchmark: no loss at 100,000 datagrams/s with 8 MB forced, 0.9-2.1%
    /// with the 4 MB rmem_max allowed). Without the capability the OS caps the ordinary request at rmem_max. Linux
    /// reports twice the size set (the other half is its bookkeeping), so the granted figure is halved there.
    /// </summary>
    private static int SetReceiveBuffer(Socket socket, int bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            socket.ReceiveBufferSize = bytes;
            return socket.ReceiveBufferSize;
        }

        const int SolSocket = 1, SoRcvBufForce = 33;
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            // Not permitted: the ordinary request, capped by the OS.
            socket.ReceiveBufferSize = bytes;
        }

        return socket.ReceiveBufferSize / 2;
    }

    /// <summary>An IPv4 peer of a dual-stack socket as the IPv4 address it is (not ::ffff:a.b.c.d).</summary>
    internal static IPEndPoint Normalize(IPEndPoint e) =>
        e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;

}
