using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Streams UDP flow-export datagrams out of pcap, pcapng or raw .dat captures with bounded memory.
/// Detects the format by magic; handles Ethernet (802.1Q/QinQ), Linux SLL/SLL2, raw IP, BSD
/// loopback; IPv4 (with fragment reassembly) and IPv6 (extension headers). Malformed whole-file
/// structure throws <see cref="CaptureFormatException"/> naming the byte offset; bad frames are counted and skipped.
/// </summary>
public sealed partial class CaptureReader : IDisposable
{
    private const uint PcapNgSectionHeader = 0x0A0D0D0A;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly CaptureReaderOptions _options;
    private readonly StreamWindow _window;
    private readonly Ipv4Reassembler _reassembler;
    private readonly byte[] _assembled = new byte[65_536];
    private bool _bigEndian;
    private bool _nanosecond;
    private int _linkType;
    private bool _finished;

    private CaptureReader(Stream stream, CaptureReaderOptions options, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options;
        _window = new StreamWindow(stream, options.MaxFrameLength);
        _reassembler = new Ipv4Reassembler(options, Statistics);
    }

    /// <summary>The detected container format.</summary>
    public CaptureFormat Format { get; private set; }

    /// <summary>Counters of frames, datagrams, skips and fragments.</summary>
    public CaptureStatistics Statistics { get; } = new();

    /// <summary>Byte offset of the next unread record (for error messages).</summary>
    public long Position => _window.Position;

    /// <summary>
    /// Set when the capture ended in the middle of a record: <see cref="TryRead"/> returned every datagram before it
    /// and then false, as tshark reads such a file. Null while reading and for a capture that ends cleanly.
    /// </summary>
    public CaptureCut? Cut { get; private set; }

    /// <summary>Opens a capture, detecting pcap, pcapng or raw datagrams from the first bytes.</summary>
    /// <exception cref="CaptureFormatException">The stream is empty or starts with no known magic.</exception>
    public static CaptureReader Open(Stream stream, CaptureReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new CaptureReader(stream, options ?? new CaptureReaderOptions(), leaveOpen);
        try
        {
            reader.DetectFormat();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        return reader;
    }

    /// <summary>
    /// Reads the next UDP datagram. The payload memory is reused: it is valid until the next call.
    /// Returns false at the end of the capture.
    /// </summary>
    /// <exception cref="CaptureFormatException">The file is malformed at <see cref="CaptureFormatException.Offset"/> (a file cut short in its last record is not: see <see cref="Cut"/>).</exception>
    public bool TryRead(out ExportDatagram datagram)
    {
        datagram = default;
        if (_finished)
        {
            return false;
        }

        var found = Format switch
        {
            CaptureFormat.Pcap => TryReadPcap(out datagram),
            CaptureFormat.PcapNg => TryReadPcapNg(out datagram),
            _ => TryReadRaw(out datagram),
        };
        if (!found)
        {
            _finished = true;
        }
        else
        {
            Statistics.UdpDatagrams++;
        }

        return found;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void DetectFormat()
    {
        if (!_window.Ensure(4))
        {
            throw new CaptureFormatException("The capture is empty or shorter than any header", 0);
        }

        var head = _window.Span;
        var be = BinaryPrimitives.ReadUInt32BigEndian(head);
        var le = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (be is PcapMagic.Microseconds or PcapMagic.Nanoseconds || le is PcapMagic.Microseconds or PcapMagic.Nanoseconds)
        {
            Format = CaptureFormat.Pcap;
            _bigEndian = be is PcapMagic.Microseconds or PcapMagic.Nanoseconds;
            _nanosecond = (_bigEndian ? be : le) == PcapMagic.Nanoseconds;
            if (!_window.Ensure(24))
            {
                throw new CaptureFormatException("Truncated pcap global header", 0);
            }

            var header = _window.Span;
            _linkType = (int)(Read32(header[20..]) & 0x0FFF_FFFF);
            _window.Advance(24);
            return;
        }

        if (be == PcapNgSectionHeader)
        {
            Format = CaptureFormat.PcapNg;
            return;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(head);
        if (version is 5 or 9 or 10)
        {
            Format = CaptureFormat.RawDatagrams;
            return;
        }

        throw new CaptureFormatException($"Unknown capture format (first bytes 0x{be:X8}): not pcap, pcapng or a NetFlow/IPFIX datagram", 0);
    }

    /// <summary>The capture ends inside the record at <paramref name="offset"/>: reading stops there (see <see cref="Cut"/>).</summary>
    private bool CutShort(long offset, string reason)
    {
        Cut = new CaptureCut(offset, reason);
        _window.Advance(_window.Available);
        return false;
    }

    private uint Read32(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private ushort Read16(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private static DateTime FromTicksSinceEpoch(long ticks)
    {
        var max = DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks < 0 || ticks > max ? DateTime.UnixEpoch : new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
    }
}
