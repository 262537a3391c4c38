using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

/// <summary>
/// Receives export messages over connections: IPFIX over TCP (RFC 7011 §10.4), several exporters at once, each stream
/// cut into messages by the length in their headers (NetFlow v5 by its record count), whatever pieces the reads bring;
/// or NetFlow v9/IPFIX over SCTP (RFC 7011 §10.2) where the kernel has SCTP, one message per SCTP message. Each message
/// goes to the same rotated pcap files as the UDP collector's, as a datagram from the exporter's address and port, so
/// the ingest reads them alike. A connection that ends in the middle of a message loses that message (counted and
/// logged with the exporter and the stream offset); the others are not disturbed.
/// </summary>
internal sealed class StreamCollector(TimeProvider time, ILogger<StreamCollector> logger)
{
    /// <summary>IPPROTO_SCTP: .NET has no <see cref="ProtocolType"/> member for it.</summary>
    private const int Sctp = 132;

    /// <summary>The largest message: 16-bit lengths (RFC 7011 §3.1).</summary>
    private const int MaxMessage = 65_535;

    private long _connections;
    private long _open;
    private long _received;
    private long _dropped;
    private long _incomplete;

    /// <summary>Raised once the socket listens, with the local endpoint (tests wait for it).</summary>
    public event Action<IPEndPoint>? Bound;

    /// <summary>Connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _connections);

    /// <summary>Connections still open (their exporters may still send).</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Listens until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="TransportUnavailableException">The system offers no SCTP (or no TCP socket of the address family).</exception>
    public async Task<CollectorCounters> RunAsync(ListenSettings settings, CancellationToken cancellationToken)
    {
        var sctp = settings.Transport == ListenTransport.Sctp;
        using var listener = OpenListener(settings.Bind.AddressFamily, sctp);
        if (settings.Bind.Equals(IPAddress.IPv6Any))
        {
            listener.DualMode = true;
        }

        listener.Bind(new IPEndPoint(settings.Bind, settings.Port));
        listener.Listen(64);
        var local = (IPEndPoint)listener.LocalEndPoint!;
        Log.ListeningForConnections(logger, sctp ? "SCTP" : "TCP", local.ToString(), Path.GetFullPath(settings.OutputPath));
        var output = new CollectorOutput(settings, time, logger);
        await using (output)
        {
            Bound?.Invoke(local);
            var connections = new List<Task>();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptAsync(cancellationToken);
                    Interlocked.Increment(ref _connections);
                    Interlocked.Increment(ref _open);
                    connections.RemoveAll(t => t.IsCompleted);
                    connections.Add(Task.Run(() => ReadAsync(client, sctp, settings.Bind, local.Port, output, cancellationToken), CancellationToken.None));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or the job stopping: the normal end of a collector run.
            }

            // Each connection stops at the same token; what they hold of an unfinished message is counted.
            await Task.WhenAll(connections);
        }

        var counters = new CollectorCounters(Interlocked.Read(ref _received), output.Written, Interlocked.Read(ref _dropped), output.Files, -1, listener.ReceiveBufferSize,
            output.NotWritten)
        {
            Connections = Interlocked.Read(ref _connections),
            Incomplete = Interlocked.Read(ref _incomplete),
        };
        Log.CollectorStopped(logger, counters.Received, counters.Written, counters.Dropped + counters.Incomplete + counters.NotWritten, counters.Files);
        return counters;
    }

    private static Socket OpenListener(AddressFamily family, bool sctp)
    {
        try
        {
            return new Socket(family, SocketType.Stream, sctp ? (ProtocolType)Sctp : ProtocolType.Tcp);
        }
        catch (SocketException ex)
        {
            throw new TransportUnavailableException(sctp
                ? $"this system offers no SCTP ({ex.Message}): on Linux load the sctp module (modprobe sctp), or listen with --transport udp or tcp"
                : $"cannot open a TCP socket ({ex.Message})");
        }
    }

    /// <summary>One exporter's connection: messages cut out of the stream (or one per SCTP message) and written until it closes.</summary>
    private async Task ReadAsync(Socket client, bool sctp, IPAddress bind, int port, CollectorOutput output, CancellationToken cancellationToken)
    {
        using var connection = client;
        try
        {
            await ReadMessagesAsync(client, sctp, bind, port, output, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task ReadMessagesAsync(Socket client, bool sctp, IPAddress bind, int port, CollectorOutput output, CancellationToken cancellationToken)
    {
        var exporter = UdpCollector.Normalize((IPEndPoint)client.RemoteEndPoint!);
        var destination = UdpCollector.LocalFor(exporter, bind, port);
        Log.ExporterConnected(logger, exporter.ToString());
        // Room for a message's start left from one read and a whole message after it.
        var buffer = new byte[2 * (MaxMessage + 1)];
        var (held, consumed, messages) = (0, 0L, 0L);
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(held), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (sctp)
                {
                    // SCTP keeps message boundaries: one receive is one message (v9 carries no length to frame by).
                    Deliver(buffer.AsSpan(0, read), exporter, destination, output, consumed);
                    (consumed, messages) = (consumed + read, messages + 1);
                    continue;
                }

                held += read;
                var start = 0;
                while (true)
                {
                    var length = MessageLength(buffer.AsSpan(start, held - start), out var error);
                    if (error is not null)
                    {
                        // Framing is lost: nothing after this point can be cut into messages.
                        Interlocked.Increment(ref _incomplete);
                        Log.StreamUnframeable(logger, exporter.ToString(), consumed + start, error);
                        return;
                    }

                    if (length == 0)
                    {
                        break;
                    }

                    Deliver(buffer.AsSpan(start, length), exporter, destination, output, consumed + start);
                    start += length;
                    messages++;
                }

                buffer.AsSpan(start, held - start).CopyTo(buffer);
                (held, consumed) = (held - start, consumed + start);
            }
        }
        catch (SocketException ex)
        {
            Interlocked.Increment(ref _dropped);
            Log.ConnectionFailed(logger, exporter.ToString(), ex.SocketErrorCode.ToString());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The collector stops.
        }

        if (held > 0)
        {
            Interlocked.Increment(ref _incomplete);
            Log.MessageIncomplete(logger, exporter.ToString(), consumed, held);
        }

        Log.ExporterDisconnected(logger, exporter.ToString(), messages);
    }

    private void Deliver(ReadOnlySpan<byte> message, IPEndPoint exporter, IPEndPoint destination, CollectorOutput output, long offset)
    {
        Interlocked.Increment(ref _received);
        if (!output.Write(message, exporter, destination))
        {
            Interlocked.Increment(ref _incomplete);
            Log.MessageTooLarge(logger, exporter.ToString(), offset, message.Length);
        }
    }

    /// <summary>
    /// The length of the message at the start of <paramref name="stream"/>: 0 while its header or body is not all there
    /// yet; <paramref name="error"/> when the bytes are no message a stream can be framed by.
    /// </summary>
    internal static int MessageLength(ReadOnlySpan<byte> stream, out string? error)
    {
        error = null;
        if (stream.Length < 4)
        {
            return 0;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(stream);
        var second = BinaryPrimitives.ReadUInt16BigEndian(stream[2..]);
        int length;
        switch (version)
        {
            case 10:
                // RFC 7011 §3.1: the message length, header included.
                if (second < 16)
                {
                    error = $"an IPFIX message length of {second} is shorter than its 16-byte header";
                    return 0;
                }

                length = second;
                break;
            case 5:
                // The v5 header's count of 48-byte records after its 24 bytes (at most 30).
                if (second is 0 or > 30)
                {
                    error = $"a NetFlow v5 header counts {second} records (1 to 30)";
                    return 0;
                }

                length = 24 + (48 * second);
                break;
            case 9:
                error = "NetFlow v9 messages carry no length (RFC 3954 defines export over UDP), so a stream of them cannot be cut into messages: "
                        + "export IPFIX (version 10) over TCP, or v9 over UDP or SCTP";
                return 0;
            default:
                error = $"version {version} is not a NetFlow v5 or IPFIX message header";
                return 0;
        }

        return stream.Length >= length ? length : 0;
    }
}
