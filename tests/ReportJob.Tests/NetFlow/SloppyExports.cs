using System.Buffers.Binary;
using System.Net;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Export messages the way sloppy exporters send them, each deviation on its own: bytes after the IPFIX message's
/// length, an export time of 0, byte and packet counters of 1 to 3 bytes, v9 FlowSets not padded to 4 bytes. Records
/// carry a source address, a byte and a packet count that differ per record, so that a decode can be compared record by
/// record (with tshark's).
/// </summary>
internal static class SloppyExports
{
    public const ushort TemplateId = 400;

    /// <summary>The time the datagrams are captured at: 2026-11-20 10:00 UTC.</summary>
    public static readonly DateTime Captured = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>One record: its source is 10.9.{datagram}.{index + 1}.</summary>
    public sealed record Record(string Source, ulong Bytes, ulong Packets);

    /// <summary>
    /// An IPFIX message: a template set (octetDeltaCount and packetDeltaCount of the given lengths) unless
    /// <paramref name="withTemplate"/> is false, then a data set of the records (unpadded), then <paramref name="trailing"/>.
    /// </summary>
    public static byte[] Ipfix(uint exportSeconds, uint sequence, IReadOnlyList<Record> records, int bytesLength = 4, int packetsLength = 4, bool withTemplate = true, byte[]? trailing = null)
    {
        var fields = Fields(bytesLength, packetsLength);
        var body = new List<byte>();
        if (withTemplate)
        {
            body.AddRange(Set(2, [.. U16(TemplateId), .. U16((ushort)fields.Length), .. fields.SelectMany(f => U16(f.Id).Concat(U16(f.Length)))]));
        }

        body.AddRange(Set(TemplateId, records.SelectMany(r => Data(r, exportSeconds == 0 ? Unix(Captured) : exportSeconds, bytesLength, packetsLength)).ToArray()));
        var length = 16 + body.Count;
        byte[] header = [.. U16(10), .. U16((ushort)length), .. U32(exportSeconds), .. U32(sequence), .. U32(1)];
        return [.. header, .. body, .. trailing ?? []];
    }

    /// <summary>
    /// A NetFlow v9 packet: a template FlowSet (bytes and packets of the given lengths), then one data FlowSet per group
    /// of records, each of the length of its records alone (not padded when that is not a multiple of 4).
    /// </summary>
    public static byte[] V9(uint exportSeconds, uint sequence, IReadOnlyList<IReadOnlyList<Record>> groups, int bytesLength = 4, int packetsLength = 4)
    {
        var fields = Fields(bytesLength, packetsLength);
        var body = new List<byte>();
        body.AddRange(Set(0, [.. U16(TemplateId), .. U16((ushort)fields.Length), .. fields.SelectMany(f => U16(f.Id).Concat(U16(f.Length)))]));
        var clock = exportSeconds == 0 ? Unix(Captured) : exportSeconds;
        foreach (var group in groups)
        {
            body.AddRange(Set(TemplateId, group.SelectMany(r => Data(r, clock, bytesLength, packetsLength)).ToArray()));
        }

        // RFC 3954 §5.1: version, count, sysUpTime, unix_secs, sequence, source id.
        byte[] header = [.. U16(9), .. U16((ushort)(1 + groups.Sum(g => g.Count))), .. U32(1_000_000), .. U32(exportSeconds), .. U32(sequence), .. U32(1)];
        return [.. header, .. body];
    }

    /// <summary>Records of datagram <paramref name="datagram"/>: counters that fit <paramref name="bytesLength"/> and <paramref name="packetsLength"/> bytes.</summary>
    public static List<Record> Records(int datagram, int count, int bytesLength = 4, int packetsLength = 4) =>
        Enumerable.Range(0, count).Select(i => new Record($"10.9.{datagram}.{i + 1}",
            (ulong)(1000 + (datagram * 1009) + (i * 7919)) % (bytesLength >= 4 ? ulong.MaxValue : 1UL << (8 * bytesLength)),
            (ulong)(1 + datagram + (i * 13)) % (packetsLength >= 4 ? ulong.MaxValue : 1UL << (8 * packetsLength)))).ToList();

    /// <summary>A set (v9 FlowSet or IPFIX Set) of the given id around <paramref name="content"/>, not padded.</summary>
    private static byte[] Set(ushort id, byte[] content) => [.. U16(id), .. U16((ushort)(4 + content.Length)), .. content];

    // Source and destination address, protocol, the counters, and the flow's start and end: v9 uptimes (22, 21) would
    // tie the times to the header; absolute seconds (IPFIX 150/151) are read the same way by every decoder.
    private static (ushort Id, ushort Length)[] Fields(int bytesLength, int packetsLength) =>
        [(8, 4), (12, 4), (4, 1), (1, (ushort)bytesLength), (2, (ushort)packetsLength), (150, 4), (151, 4)];

    private static byte[] Data(Record r, uint clock, int bytesLength, int packetsLength) =>
    [
        .. IPAddress.Parse(r.Source).GetAddressBytes(), 10, 2, 0, 1, 17, .. Unsigned(r.Bytes, bytesLength), .. Unsigned(r.Packets, packetsLength),
        .. U32(clock - 60), .. U32(clock - 30),
    ];

    private static byte[] Unsigned(ulong value, int length)
    {
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return bytes;
    }

    private static uint Unix(DateTime t) => (uint)((t.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond);

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }
}
