using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReportJob.NetFlow;

/// <summary>
/// Writes received export datagrams as a pcap (LINKTYPE_RAW) with synthesized IPv4/IPv6 + UDP headers carrying the
/// exporter's real address and port, so the normal capture ingest reads them. A file is named <c>*.pcap.partial</c>
/// while open and renamed to <c>*.pcap</c> once complete, so the inbox never picks up a half-written file. Rotation
/// (by age or size) closes the old file and opens the next before the next datagram is written: none is lost.
/// Not thread-safe: the collector serialises calls.
/// </summary>
internal sealed class RotatingPcapWriter(string folder, TimeSpan rotateEvery, long rotateBytes, TimeProvider time) : IDisposable
{
    private const int RecordHeader = PcapFile.RecordHeaderLength;

    private readonly byte[] _frame = new byte[RecordHeader + 40 + 8 + 65_536];
    private FileStream? _file;
    private string? _partialPath;
    private DateTime _openedUtc;
    private long _fileDatagrams;
    private long _fileBytes;
    private int _sequence;

    /// <summary>Files completed (renamed to .pcap).</summary>
    public long FilesCompleted { get; private set; }

    /// <summary>Datagrams written to files.</summary>
    public long Written { get; private set; }

    /// <summary>Called with (completed path, datagrams, bytes) whenever a file is completed.</summary>
    public Action<string, long, long>? Completed { get; set; }

    public void Write(ReadOnlySpan<byte> payload, IPEndPoint source, IPEndPoint destination)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var frameLength = FrameLength(payload.Length, source, destination);
        if (_file is not null && (now - _openedUtc >= rotateEvery || (_fileBytes + RecordHeader + frameLength > rotateBytes && _fileDatagrams > 0)))
        {
            Complete();
        }

        if (_file is null)
        {
            Open(now);
        }

        var span = _frame.AsSpan();
        PcapFile.WriteRecordHeader(span, now, frameLength);
        var ip = span[RecordHeader..];
        var headers = WriteHeaders(ip, payload.Length, source, destination);
        payload.CopyTo(ip[headers..]);
        _file!.Write(_frame, 0, RecordHeader + frameLength);
        _fileBytes += RecordHeader + frameLength;
        _fileDatagrams++;
        Written++;
    }

    /// <summary>Completes the current file when it is older than the rotation interval (called from a timer when traffic is idle).</summary>
    public void RotateIfDue()
    {
        if (_file is not null && time.GetUtcNow().UtcDateTime - _openedUtc >= rotateEvery)
        {
            Complete();
        }
    }

    /// <summary>Completes the current file, if any.</summary>
    public void Complete()
    {
        if (_file is null)
        {
            return;
        }

        _file.Flush(flushToDisk: true);
        var bytes = _file.Length;
        _file.Dispose();
        _file = null;
        var done = _partialPath![..^".partial".Length];
        File.Move(_partialPath, done);
        FilesCompleted++;
        Completed?.Invoke(done, _fileDatagrams, bytes);
        _fileDatagrams = 0;
    }

    public void Dispose() => Complete();

    private static bool IsV4(IPEndPoint e) => e.Address.AddressFamily == AddressFamily.InterNetwork;

    private static int FrameLength(int payload, IPEndPoint source, IPEndPoint destination) =>
        (IsV4(source) && IsV4(destination) ? 20 : 40) + 8 + payload;

    private static int WriteHeaders(Span<byte> ip, int payload, IPEndPoint source, IPEndPoint destination)
    {
        var udpLength = 8 + payload;
        int offset;
        if (IsV4(source) && IsV4(destination))
        {
            ip[..20].Clear();
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + udpLength));
            ip[8] = 64;
            ip[9] = 17;
            source.Address.TryWriteBytes(ip[12..], out _);
            destination.Address.TryWriteBytes(ip[16..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip[..20]));
            offset = 20;
        }
        else
        {
            ip[..40].Clear();
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)udpLength);
            ip[6] = 17;
            ip[7] = 64;
            source.Address.MapToIPv6().TryWriteBytes(ip[8..], out _);
            destination.Address.MapToIPv6().TryWriteBytes(ip[24..], out _);
            offset = 40;
        }

        var udp = ip[offset..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        // UDP checksum 0: "not computed" (RFC 768); readers of the file do not verify it.
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        return offset + 8;
    }

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private void Open(DateTime now)
    {
        Directory.CreateDirectory(folder);
        do
        {
            _sequence++;
            _partialPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"netflow-{now:yyyyMMdd'T'HHmmss'Z'}-{_sequence:D4}.pcap.partial"));
        }
        while (File.Exists(_partialPath) || File.Exists(_partialPath[..^".partial".Length]));

        _file = new FileStream(_partialPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20);
        PcapFile.WriteFileHeader(_file, PcapFile.LinkTypeRaw, snapLength: 262_144);
        _fileBytes = _file.Position;
        _openedUtc = now;
        _fileDatagrams = 0;
    }
}
