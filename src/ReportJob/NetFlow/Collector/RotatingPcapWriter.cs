using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// Writes received export datagrams as a pcap (LINKTYPE_RAW) with synthesized IPv4/IPv6 + UDP headers carrying the
/// exporter's real address and port, so the normal capture ingest reads them. A file is named <c>*.pcap.partial</c>
/// while open and renamed to <c>*.pcap</c> once complete, so the inbox never picks up a half-written file. Rotation
/// (by age or size) closes the old file and opens the next before the next datagram is written: none is lost.
/// Records gather in a buffer of the writer's own and go to the file when it is full (a megabyte) or the timer ticks,
/// so the file always ends with a complete record. When the disk refuses them (full, the folder not writable), the file is cut back to its last
/// complete record, the buffered records wait and are written once the disk takes them again (retried every second),
/// and the datagrams that no longer fit in the buffer meanwhile are dropped and counted: the collector keeps running.
/// Not thread-safe: the collector serialises calls.
/// </summary>
internal sealed class RotatingPcapWriter(string folder, TimeSpan rotateEvery, long rotateBytes, TimeProvider time) : IDisposable
{
    private const int RecordHeader = PcapFile.RecordHeaderLength;
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    private readonly byte[] _pending = new byte[1 << 20];
    private int _pendingBytes;
    private int _pendingDatagrams;
    private FileStream? _file;
    private string? _partialPath;
    private DateTime _openedUtc;
    private long _fileDatagrams;
    private long _fileBytes;
    private int _sequence;
    private bool _failing;
    private DateTime _failedAt;
    private long _droppedSinceFailure;

    /// <summary>Files completed (renamed to .pcap).</summary>
    public long FilesCompleted { get; private set; }

    /// <summary>Datagrams written to files.</summary>
    public long Written { get; private set; }

    /// <summary>Datagrams dropped because the disk refused them and the buffer was full (or still held at the end).</summary>
    public long Dropped { get; private set; }

    /// <summary>Called with (completed path, datagrams, bytes) whenever a file is completed.</summary>
    public Action<string, long, long>? Completed { get; set; }

    /// <summary>Called with (file, offset, reason, datagrams held) when writing starts failing.</summary>
    public Action<string, long, string, int>? WriteFailed { get; set; }

    /// <summary>Called with (file, datagrams dropped meanwhile) when writing works again.</summary>
    public Action<string, long>? WriteResumed { get; set; }

    public void Write(ReadOnlySpan<byte> payload, IPEndPoint source, IPEndPoint destination)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var frameLength = FrameLength(payload.Length, source, destination);
        var recordLength = RecordHeader + frameLength;
        if (_file is not null && (now - _openedUtc >= rotateEvery
                                  || (_fileBytes + _pendingBytes + recordLength > rotateBytes && _fileDatagrams + _pendingDatagrams > 0)))
        {
            Complete();
        }

        if (_file is null && !_failing)
        {
            TryOpen(now);
        }

        if (_pendingBytes + recordLength > _pending.Length && !((!_failing || now - _failedAt >= RetryEvery) && TryFlush(now)))
        {
            Dropped++;
            _droppedSinceFailure++;
            return;
        }

        var record = _pending.AsSpan(_pendingBytes, recordLength);
        PcapFile.WriteRecordHeader(record, now, frameLength);
        var headers = WriteHeaders(record[RecordHeader..], payload.Length, source, destination);
        payload.CopyTo(record[(RecordHeader + headers)..]);
        _pendingBytes += recordLength;
        _pendingDatagrams++;
    }

    /// <summary>
    /// Called from a timer (every 0.25-5 s): writes the buffered records (so that a killed process loses at most one
    /// tick of them; while writing fails, once a second), and completes the current file when it is older than the
    /// rotation interval (traffic may be idle).
    /// </summary>
    public void Tick()
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!_failing || now - _failedAt >= RetryEvery)
        {
            TryFlush(now);
        }

        if (_file is not null && now - _openedUtc >= rotateEvery)
        {
            Complete();
        }
    }

    /// <summary>
    /// Completes the current file, if any, with every buffered record the disk takes; records it refuses stay buffered
    /// for the next file.
    /// </summary>
    public void Complete()
    {
        if (_file is null)
        {
            return;
        }

        TryFlush(time.GetUtcNow().UtcDateTime);
        try
        {
            _file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // What was written stays written; the rename below still makes it a capture for the inbox.
        }

        _file.Dispose();
        _file = null;
        if (_fileDatagrams == 0)
        {
            // Nothing but the file header got in (the disk refused the rest): no capture to hand over.
            File.Delete(_partialPath!);
            return;
        }

        var done = _partialPath![..^".partial".Length];
        File.Move(_partialPath, done);
        FilesCompleted++;
        Completed?.Invoke(done, _fileDatagrams, _fileBytes);
        _fileDatagrams = 0;
    }

    /// <summary>
    /// At the end: completes the current file, then tries once more to write what is still buffered into a file of its
    /// own; what the disk still refuses is counted as dropped.
    /// </summary>
    public void Dispose()
    {
        Complete();
        if (_pendingDatagrams > 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (TryOpen(now))
            {
                Complete();
            }

            Dropped += _pendingDatagrams;
            _droppedSinceFailure += _pendingDatagrams;
            (_pendingBytes, _pendingDatagrams) = (0, 0);
        }
    }

    /// <summary>Writes the buffered records to the file (opened first when needed); false when the disk refuses them.</summary>
    private bool TryFlush(DateTime now)
    {
        if (_pendingBytes == 0)
        {
            return true;
        }

        if (_file is null && !TryOpen(now))
        {
            return false;
        }

        try
        {
            _file!.Write(_pending, 0, _pendingBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A write cut short leaves part of a record: the file is cut back to its last complete one.
            try
            {
                _file!.SetLength(_fileBytes);
                _file.Position = _fileBytes;
            }
            catch (IOException)
            {
                // Then the next write starts at the same place and overwrites the part anyway.
            }

            Fail(_partialPath!, _fileBytes, ex.Message, now);
            return false;
        }

        _fileBytes += _pendingBytes;
        _fileDatagrams += _pendingDatagrams;
        Written += _pendingDatagrams;
        (_pendingBytes, _pendingDatagrams) = (0, 0);
        Resume();
        return true;
    }

    /// <summary>
    /// Completes the <c>.partial</c> files that an earlier run left in <paramref name="folder"/> (killed, or the machine
    /// went down): each is cut back to its last whole record and renamed to <c>.pcap</c> for the inbox, or deleted when
    /// it holds none. A file that a running collector is writing is locked by it and left alone, as is one that is not
    /// a pcap of this writer's. Returns (file, datagrams, bytes) of each file completed.
    /// </summary>
    public static IReadOnlyList<(string Path, long Datagrams, long Bytes)> RecoverLeftovers(string folder)
    {
        var recovered = new List<(string, long, long)>();
        if (!Directory.Exists(folder))
        {
            return recovered;
        }

        foreach (var partial in Directory.GetFiles(folder, "*.pcap.partial").Order(StringComparer.Ordinal))
        {
            long datagrams, end;
            try
            {
                // Exclusive: a live writer holds its file shared, so this open fails on it.
                using var file = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                (datagrams, end) = WholeRecords(file);
                if (end < 0)
                {
                    continue;
                }

                file.SetLength(end);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (datagrams == 0)
            {
                File.Delete(partial);
                continue;
            }

            var done = partial[..^".partial".Length];
            File.Move(partial, done);
            recovered.Add((done, datagrams, end));
        }

        return recovered;
    }

    /// <summary>The datagrams and the end of the last whole record of a file this writer wrote; -1 when it is not one.</summary>
    private static (long Datagrams, long End) WholeRecords(FileStream file)
    {
        Span<byte> header = stackalloc byte[PcapFile.FileHeaderLength];
        if (file.Length < PcapFile.FileHeaderLength)
        {
            return (0, 0);
        }

        file.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != PcapMagic.Microseconds || BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != PcapFile.LinkTypeRaw)
        {
            return (0, -1);
        }

        long offset = PcapFile.FileHeaderLength, datagrams = 0;
        var record = header[..RecordHeader];
        while (file.Length - offset >= RecordHeader)
        {
            file.Position = offset;
            file.ReadExactly(record);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);
            if (length > 40 + 8 + 65_535 || offset + RecordHeader + length > file.Length)
            {
                break;
            }

            offset += RecordHeader + length;
            datagrams++;
        }

        return (datagrams, offset);
    }

    private bool TryOpen(DateTime now)
    {
        do
        {
            _sequence++;
            _partialPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"netflow-{now:yyyyMMdd'T'HHmmss'Z'}-{_sequence:D4}.pcap.partial"));
        }
        while (File.Exists(_partialPath) || File.Exists(_partialPath[..^".partial".Length]));

        try
        {
            Directory.CreateDirectory(folder);
            // No FileStream buffer: the writer's own buffer decides where writes begin and end.
            _file = new FileStream(_partialPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
            PcapFile.WriteFileHeader(_file, PcapFile.LinkTypeRaw, snapLength: 262_144);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_file is not null)
            {
                // Created, but not even its header fits: no file to leave behind.
                _file.Dispose();
                _file = null;
                File.Delete(_partialPath);
            }

            Fail(_partialPath, 0, ex.Message, now);
            return false;
        }

        _fileBytes = PcapFile.FileHeaderLength;
        _openedUtc = now;
        _fileDatagrams = 0;
        return true;
    }

    private void Fail(string path, long offset, string reason, DateTime now)
    {
        _failedAt = now;
        if (!_failing)
        {
            _failing = true;
            _droppedSinceFailure = 0;
            WriteFailed?.Invoke(path, offset, reason, _pendingDatagrams);
        }
    }

    private void Resume()
    {
        if (_failing)
        {
            _failing = false;
            WriteResumed?.Invoke(_partialPath!, _droppedSinceFailure);
        }
    }

    /// <summary>
    /// The largest message a record can carry as a UDP datagram: the IPv4 total length and the UDP length are 16 bits
    /// (RFC 791, RFC 768), so 65,507 bytes over IPv4 and 65,527 over IPv6. Datagrams received over UDP always fit; an
    /// IPFIX message over TCP may be up to 65,535 bytes.
    /// </summary>
    public static int MaxPayload(IPEndPoint source, IPEndPoint destination) => IsV4(source) && IsV4(destination) ? 65_535 - 20 - 8 : 65_535 - 8;

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

    /// <summary>The IPv4 header checksum (RFC 791 §3.1: the one's complement of the one's complement sum of its 16-bit words, the checksum field 0).</summary>
    internal static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
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
}
