using System.Buffers.Binary;

namespace ReportJob.NetFlow;

/// <summary>
/// Writes a pcap (Ethernet/IPv4/UDP to port 2055) of NetFlow v9 packets shaped like softflowd's:
/// templates 1024 (IPv4) and 2048 (IPv6) with its 14 fields, 30 IPv4 records of 40 bytes per packet,
/// templates re-sent every 16 packets. Deterministic for a given start, so benchmark runs are comparable;
/// <c>reportjob demo</c> writes one that starts now, the benchmark one with a fixed start.
/// </summary>
internal static class SampleCapture
{
    private static readonly (ushort Id, ushort Length)[] V4Fields =
        [(8, 4), (12, 4), (21, 4), (22, 4), (1, 4), (2, 4), (10, 4), (14, 4), (7, 2), (11, 2), (4, 1), (6, 1), (60, 1), (5, 1)];

    private static readonly (ushort Id, ushort Length)[] V6Fields =
        [(27, 16), (28, 16), (21, 4), (22, 4), (1, 4), (2, 4), (10, 4), (14, 4), (7, 2), (11, 2), (4, 1), (6, 1), (60, 1), (5, 1)];

    /// <summary>The largest spread of flow ends before their export that <see cref="Write(Stream, int, uint, uint)"/> takes (7 days).</summary>
    public const uint MaxEndSpreadSeconds = 7 * 86_400;

    /// <summary>The benchmark's fixed start (2023-11-14 22:13:20 UTC).</summary>
    public const uint FixedStartUnixSeconds = 1_700_000_000u;

    /// <summary>Writes <paramref name="records"/> flow records; export times start at <paramref name="startUnixSeconds"/> and advance a second per 100 packets.</summary>
    /// <param name="path">The pcap to write.</param>
    /// <param name="records">Flow records.</param>
    /// <param name="startUnixSeconds">The first export time.</param>
    /// <param name="endSpreadSeconds">
    /// 0: every flow ends 0.1 s before its export. Otherwise flows end up to this many seconds before their export, at
    /// random, so that a datagram's records fall into many buckets at once (exporters that flush long-lived flows).
    /// </param>
    public static void Write(string path, int records, uint startUnixSeconds = FixedStartUnixSeconds, uint endSpreadSeconds = 0)
    {
        using var file = File.Create(path);
        Write(file, records, startUnixSeconds, endSpreadSeconds);
    }

    /// <summary>The same into a stream.</summary>
    public static void Write(Stream file, int records, uint startUnixSeconds = FixedStartUnixSeconds, uint endSpreadSeconds = 0)
    {
        // The export's sysUptime (32-bit milliseconds, about 49 days) must stay above the spread for the whole capture.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endSpreadSeconds, MaxEndSpreadSeconds);
        const int perPacket = 30;
        PcapFile.WriteFileHeader(file, PcapFile.LinkTypeEthernet);

        var packet = new byte[2048];
        var random = new Random(42);
        uint sequence = 0;
        var baseSeconds = startUnixSeconds;
        for (var written = 0; written < records; sequence++)
        {
            var count = Math.Min(perPacket, records - written);
            var uptime = 1_000_000u + (endSpreadSeconds * 1000) + (sequence * 10);
            var p = WriteExportHeader(packet, count, uptime, baseSeconds + (sequence / 100), sequence);
            for (var i = 0; i < count; i++)
            {
                var source = 0x0A000000u | (uint)random.Next(1 << 16);
                var destination = 0xC0A80000u | (uint)random.Next(1 << 16);
                var end = uptime - 100 - (endSpreadSeconds == 0 ? 0 : (uint)random.Next((int)Math.Min(endSpreadSeconds * 1000L, int.MaxValue)));
                var bytes = (uint)random.Next(40, 1_000_000);
                var packets = (uint)random.Next(1, 1000);
                WriteV4Record(packet.AsSpan(p, 40), new SampleFlow(source, destination, 0, 443, 6, 0x1B, 0, 0, default), end, bytes, packets, (ushort)random.Next(1024, 65535));
                p += 40;
            }

            written += count;
            WriteDatagram(file, packet, p, DateTime.UnixEpoch.AddSeconds(baseSeconds + (sequence / 100)));
        }
    }

    /// <summary>
    /// Writes the given IPv4 flows (in the order given) the same way: 30 records per export packet, each packet exported
    /// a second after the last flow in it ended, so every flow is accounted at its own end time.
    /// </summary>
    public static void Write(Stream file, IReadOnlyList<SampleFlow> flows)
    {
        const int perPacket = 30;
        const uint uptimeAtExport = 2_000_000_000u; // ms, about 23 days: above any flow's age
        PcapFile.WriteFileHeader(file, PcapFile.LinkTypeEthernet);
        var packet = new byte[2048];
        uint sequence = 0;
        for (var written = 0; written < flows.Count; sequence++)
        {
            var count = Math.Min(perPacket, flows.Count - written);
            var export = flows.Skip(written).Take(count).Max(f => f.EndUtc).AddSeconds(1);
            var exportSeconds = (uint)(export - DateTime.UnixEpoch).TotalSeconds;
            var p = WriteExportHeader(packet, count, uptimeAtExport, exportSeconds, sequence);
            for (var i = 0; i < count; i++)
            {
                var f = flows[written + i];
                var end = uptimeAtExport - (uint)Math.Round((DateTime.UnixEpoch.AddSeconds(exportSeconds) - f.EndUtc).TotalMilliseconds);
                WriteV4Record(packet.AsSpan(p, 40), f, end, f.Bytes, f.Packets, f.SourcePort);
                p += 40;
            }

            written += count;
            WriteDatagram(file, packet, p, DateTime.UnixEpoch.AddSeconds(exportSeconds));
        }
    }

    /// <summary>
    /// The v9 header (RFC 3954 §5.1) after the Ethernet/IPv4/UDP headers, the templates every 16th packet, and the
    /// header of a data FlowSet of <paramref name="count"/> template-1024 records; returns where the first record goes.
    /// </summary>
    private static int WriteExportHeader(byte[] packet, int count, uint uptime, uint unixSeconds, uint sequence)
    {
        var p = 14 + 20 + 8;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), 9);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 2), (ushort)count);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(p + 4), uptime);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(p + 8), unixSeconds);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(p + 12), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(p + 16), 0);
        p += 20;
        if (sequence % 16 == 0)
        {
            p = WriteTemplate(packet, p, 1024, V4Fields);
            p = WriteTemplate(packet, p, 2048, V6Fields);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), 1024);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 2), (ushort)(4 + (count * 40)));
        return p + 4;
    }

    /// <summary>One record of template 1024 (softflowd's IPv4 fields), lasting 4.9 s up to <paramref name="end"/> (sysUptime ms).</summary>
    private static void WriteV4Record(Span<byte> r, SampleFlow f, uint end, uint bytes, uint packets, ushort sourcePort)
    {
        BinaryPrimitives.WriteUInt32BigEndian(r, f.Source);
        BinaryPrimitives.WriteUInt32BigEndian(r[4..], f.Destination);
        BinaryPrimitives.WriteUInt32BigEndian(r[8..], end);
        BinaryPrimitives.WriteUInt32BigEndian(r[12..], end - 4900);
        BinaryPrimitives.WriteUInt32BigEndian(r[16..], bytes);
        BinaryPrimitives.WriteUInt32BigEndian(r[20..], packets);
        BinaryPrimitives.WriteUInt32BigEndian(r[24..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(r[28..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(r[32..], sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(r[34..], f.DestinationPort);
        r[36] = f.Protocol;
        r[37] = f.TcpFlags;
        r[38] = 4;
        r[39] = 0;
    }

    /// <summary>Puts Ethernet, IPv4 (10.1.1.1 → 10.1.1.2) and UDP 9995 → 2055 before the export packet in <paramref name="packet"/>[42..length] and writes it as one pcap record.</summary>
    private static void WriteDatagram(Stream file, byte[] packet, int length, DateTime capturedUtc)
    {
        var udpLength = length - 34;
        var ipLength = length - 14;
        // Checksums left at 0.
        packet.AsSpan(0, 12).Clear();
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12), 0x0800);
        packet[14] = 0x45;
        packet[15] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(16), (ushort)ipLength);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(18), 0);
        packet[22] = 64;
        packet[23] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 0);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(26), 0x0A010101);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(30), 0x0A010102);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(34), 9995);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), 2055);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(38), (ushort)udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(40), 0);

        Span<byte> record = stackalloc byte[16];
        PcapFile.WriteRecordHeader(record, capturedUtc, length);
        file.Write(record);
        file.Write(packet, 0, length);
    }

    private static int WriteTemplate(byte[] packet, int p, ushort id, (ushort Id, ushort Length)[] fields)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 2), (ushort)(8 + (fields.Length * 4)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 6), (ushort)fields.Length);
        p += 8;
        foreach (var (fid, length) in fields)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), fid);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p + 2), length);
            p += 4;
        }

        return p;
    }
}
