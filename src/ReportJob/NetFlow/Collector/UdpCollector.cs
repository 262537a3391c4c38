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

        foreach (var (path, datagrams, bytes) in RotatingPcapWriter.RecoverLeftovers(settings.OutputPath))
        {
            Log.LeftoverCompleted(logger, path, datagrams, bytes);
        }

        var kernelDropsAtStart = KernelUdpDrops.Read(local.Port);

        var gate = new Lock();
        using var writer = new RotatingPcapWriter(settings.OutputPath, settings.RotateEvery, settings.RotateBytes, time)
        {
            Completed = (path, datagrams, bytes) => Log.CaptureRotated(logger, path, datagrams, bytes),
            WriteFailed = (path, offset, reason, held) => Log.WriteFailed(logger, path, offset, reason, held),
            WriteResumed = (path, dropped) => Log.WriteResumed(logger, path, dropped),
        };
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(settings.RotateEvery.TotalSeconds / 4, 0.25, 5)), time);
        var rotation = TickAsync(ticker, writer, gate, cancellationToken);
        Bound?.Invoke(local);

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
                var destination = new IPEndPoint(
                    source.AddressFamily == AddressFamily.InterNetwork
                        ? (settings.Bind.AddressFamily == AddressFamily.InterNetwork ? settings.Bind : IPAddress.Any)
                        : (settings.Bind.AddressFamily == AddressFamily.InterNetworkV6 ? settings.Bind : IPAddress.IPv6Any),
                    local.Port);
                lock (gate)
                {
                    writer.Write(buffer.AsSpan(0, result.ReceivedBytes), source, destination);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or the job stopping: the normal end of a collector run.
        }

        try
        {
            await rotation;
        }
        catch (OperationCanceledException)
        {
        }

        lock (gate)
        {
            writer.Dispose();
        }

        var kernelDrops = kernelDropsAtStart < 0 ? -1 : Math.Max(0, KernelUdpDrops.Read(local.Port) - kernelDropsAtStart);
        var counters = new CollectorCounters(Interlocked.Read(ref _received), writer.Written, Interlocked.Read(ref _dropped), writer.FilesCompleted, kernelDrops, granted, writer.Dropped);
        Log.CollectorStopped(logger, counters.Received, counters.Written, counters.Dropped + Math.Max(0, counters.KernelDrops) + counters.NotWritten, counters.Files);
        return counters;
    }

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

    private static IPEndPoint Normalize(IPEndPoint e) =>
        e.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(e.Address.MapToIPv4(), e.Port) : e;

    private static async Task TickAsync(PeriodicTimer ticker, RotatingPcapWriter writer, Lock gate, CancellationToken cancellationToken)
    {
        while (await ticker.WaitForNextTickAsync(cancellationToken))
        {
            lock (gate)
            {
                writer.Tick();
            }
        }
    }
}
