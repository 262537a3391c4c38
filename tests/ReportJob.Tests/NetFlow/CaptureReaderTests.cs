using System.Buffers.Binary;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

public sealed class CaptureReaderTests
{
    private static readonly byte[] V5Payload = Hex.Bytes(
        "0005 0001 00000d35 55451990 10b57740 00000000 0000 0000" +
        "0a000202 0a00020f 00000000 0000 0000 00000005 000000e6 ffffffff 00000a11 d4a3 0016 00 10 06 00 0000 0000 00 00 0000");

    private static byte[] Udp(byte[] payload) =>
        [.. Hex.Bytes($"1234 0807 {8 + payload.Length:x4} 0000"), .. payload];

    private static byte[] Ipv4(byte[] udp, ushort id = 1, ushort flags = 0) =>
        [.. Hex.Bytes($"4500 {20 + udp.Length:x4} {id:x4} {flags:x4} 4011 0000 c0000201 7f000001"), .. udp];

    private static byte[] Ipv6(byte[] udp) =>
        [.. Hex.Bytes($"6000 0000 {udp.Length + 8:x4} 3c40 20010db8000000000000000000000001 20010db8000000000000000000000002 1100 0000 0000 0000"), .. udp];

    private static byte[] Pcap(int linkType, bool bigEndian, bool nano, params byte[][] frames)
    {
        var ms = new MemoryStream();
        var w = new byte[24];
        void U32(Span<byte> s, uint v)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(s, v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s, v);
            }
        }

        U32(w, nano ? PcapMagic.Nanoseconds : PcapMagic.Microseconds);
        U32(w.AsSpan(16), 65535);
        U32(w.AsSpan(20), (uint)linkType);
        ms.Write(w);
        foreach (var f in frames)
        {
            var h = new byte[16];
            U32(h, 1_430_591_888);
            U32(h.AsSpan(4), nano ? 123_456_789u : 123_456u);
            U32(h.AsSpan(8), (uint)f.Length);
            U32(h.AsSpan(12), (uint)f.Length);
            ms.Write(h);
            ms.Write(f);
        }

        return ms.ToArray();
    }

    private static List<(ExportDatagram Datagram, byte[] Payload)> ReadAll(byte[] file, CaptureReaderOptions? options = null)
    {
        using var reader = CaptureReader.Open(new MemoryStream(file), options);
        var list = new List<(ExportDatagram, byte[])>();
        while (reader.TryRead(out var d))
        {
            list.Add((d, d.Payload.ToArray()));
        }

        return list;
    }

    public static TheoryData<int, string> LinkLayers() => new()
    {
        { 1, "000000000000 000000000000 0800" },
        { 1, "000000000000 000000000000 8100 0001 88a8 0002 0800" },
        { 1, "000000000000 000000000000 88a8 0001 8100 0002 0800" },
        { 113, "0000 0001 0006 000000000000 0000 0800" },
        { 276, "0800 0000 00000001 0001 00 06 000000000000 0000" },
        { 0, "02000000" },
        { 108, "00000002" },
        { 101, "" },
        { 12, "" },
        { 228, "" },
    };

    [Theory]
    [MemberData(nameof(LinkLayers))]
    public void TryRead_LinkTypes_FindUdpPayload(int linkType, string linkHeader)
    {
        var frame = (byte[])[.. Hex.Bytes(linkHeader), .. Ipv4(Udp(V5Payload))];
        var d = Assert.Single(ReadAll(Pcap(linkType, false, false, frame)));
        Assert.Equal(V5Payload, d.Payload);
        Assert.Equal("192.0.2.1", d.Datagram.Exporter.ToString());
        Assert.Equal(2055, d.Datagram.DestinationPort);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void TryRead_PcapByteOrderAndResolution_GiveTimestamp(bool bigEndian, bool nano)
    {
        var d = Assert.Single(ReadAll(Pcap(101, bigEndian, nano, Ipv4(Udp(V5Payload)))));
        var expected = DateTimeOffset.FromUnixTimeSeconds(1_430_591_888).UtcDateTime.AddTicks(nano ? 1_234_567 : 1_234_560);
        Assert.Equal(expected, d.Datagram.TimestampUtc);
    }

    [Fact]
    public void TryRead_Ipv6WithExtensionHeader_FindsUdp()
    {
        var d = Assert.Single(ReadAll(Pcap(229, false, false, Ipv6(Udp(V5Payload)))));
        Assert.Equal("2001:db8::1", d.Datagram.Exporter.ToString());
    }

    [Fact]
    public void TryRead_Ipv4Fragments_AreReassembled()
    {
        var udp = Udp(V5Payload);
        var first = Ipv4(udp[..64], id: 7, flags: 0x2000);
        var second = Ipv4(udp[64..], id: 7, flags: 64 / 8);
        using var reader = CaptureReader.Open(new MemoryStream(Pcap(101, false, false, second, first)));
        Assert.True(reader.TryRead(out var d));
        Assert.Equal(V5Payload, d.Payload.ToArray());
        Assert.Equal(1, reader.Statistics.DatagramsReassembled);
    }

    [Fact]
    public void TryRead_NonUdpAndNonIp_AreSkippedAndCounted()
    {
        var tcp = Hex.Bytes("4500 0028 0001 0000 4006 0000 c0000201 7f000001" + new string('0', 40));
        var arp = Hex.Bytes("ffffffffffff 000000000000 0806" + new string('0', 56));
        using var reader = CaptureReader.Open(new MemoryStream(Pcap(1, false, false, arp, [.. Hex.Bytes("000000000000 000000000000 0800"), .. tcp])));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(1, reader.Statistics.SkippedNonIp);
        Assert.Equal(1, reader.Statistics.SkippedNonUdp);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_PcapNgWithTwoInterfacesAndResolutions_ReadsEpbAndSpb(bool bigEndian)
    {
        var ms = new MemoryStream();
        void U32(uint v)
        {
            var b = new byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(b, v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            }

            ms.Write(b);
        }

        void U16(ushort v)
        {
            var b = new byte[2];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(b, v);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b, v);
            }

            ms.Write(b);
        }

        // SHB
        ms.Write(Hex.Bytes("0a0d0d0a"));
        U32(28);
        U32(0x1A2B3C4D);
        U16(1);
        U16(0);
        U32(0xFFFFFFFF);
        U32(0xFFFFFFFF);
        U32(28);

        // IDB 0: raw IP, default µs. IDB 1: Ethernet, if_tsresol = 9 (ns).
        U32(1);
        U32(20);
        U16(101);
        U16(0);
        U32(0);
        U32(20);
        U32(1);
        U32(32);
        U16(1);
        U16(0);
        U32(0);
        U16(9);
        U16(1);
        ms.Write(new byte[] { 9, 0, 0, 0 });
        U16(0);
        U16(0);
        U32(32);

        var raw = Ipv4(Udp(V5Payload));
        var eth = (byte[])[.. Hex.Bytes("000000000000 000000000000 0800"), .. raw];
        void Epb(uint itf, ulong ts, byte[] data)
        {
            var padded = (data.Length + 3) & ~3;
            var length = (uint)(32 + padded);
            U32(6);
            U32(length);
            U32(itf);
            U32((uint)(ts >> 32));
            U32((uint)ts);
            U32((uint)data.Length);
            U32((uint)data.Length);
            ms.Write(data);
            ms.Write(new byte[padded - data.Length]);
            U32(length);
        }

        Epb(0, 1_430_591_888_000_001UL, raw);
        Epb(1, 1_430_591_888_000_000_100UL, eth);

        var spbPadded = (raw.Length + 3) & ~3;
        U32(3);
        U32((uint)(16 + spbPadded));
        U32((uint)raw.Length);
        ms.Write(raw);
        ms.Write(new byte[spbPadded - raw.Length]);
        U32((uint)(16 + spbPadded));

        var all = ReadAll(ms.ToArray());
        Assert.Equal(3, all.Count);
        Assert.All(all, d => Assert.Equal(V5Payload, d.Payload));
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_430_591_888).UtcDateTime;
        Assert.Equal(epoch.AddTicks(10), all[0].Datagram.TimestampUtc);
        Assert.Equal(epoch.AddTicks(1), all[1].Datagram.TimestampUtc);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(70)]
    public void TryRead_CaptureCutInItsLastRecord_ReturnsTheRecordsBeforeAndNamesTheCut(int cutBytes)
    {
        var file = Pcap(101, false, false, Ipv4(Udp(V5Payload)), Ipv4(Udp(V5Payload)));
        var second = 24 + 16 + 28 + V5Payload.Length;
        using var reader = CaptureReader.Open(new MemoryStream(file[..^cutBytes]));

        Assert.True(reader.TryRead(out var first));
        Assert.Equal(24, first.FileOffset);
        Assert.Null(reader.Cut);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(second, reader.Cut!.Offset);
        Assert.Contains($"byte offset {second}", reader.Cut.ToString(), StringComparison.Ordinal);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void TryRead_CaptureEndingCleanly_HasNoCut()
    {
        using var reader = CaptureReader.Open(new MemoryStream(Pcap(101, false, false, Ipv4(Udp(V5Payload)))));
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Null(reader.Cut);
    }

    [Fact]
    public void Open_UnknownMagic_Throws()
    {
        Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream(Hex.Bytes("deadbeef00000000"))));
        Assert.Throws<CaptureFormatException>(() => CaptureReader.Open(new MemoryStream([])));
    }

    [Theory]
    [InlineData("netflow5.dat", 12)]
    [InlineData("ipfix.dat", 3)]
    [InlineData("netflow9_test_paloalto_81_data257_1flowset_in_large_zerofilled_packet.dat", 1)]
    [InlineData("netflow9_test_cisco_aci_tpl256-258.dat", 1)]
    public void TryRead_RawDatFile_SplitsConcatenatedMessages(string file, int expected)
    {
        var bytes = File.ReadAllBytes(Corpus.Path("logstash-netflow", "dat", file));
        var all = ReadAll(bytes, new CaptureReaderOptions { RawExporter = Corpus.LogstashExporter });
        Assert.Equal(expected, all.Count);
        Assert.Equal(bytes.Length, all.Sum(d => d.Payload.Length));
        Assert.All(all, d => Assert.Equal(Corpus.LogstashExporter, d.Datagram.Exporter));
    }

    [Fact]
    public void TryRead_Netflow5Dat_DecodesAllThirtyFlows()
    {
        var (sink, _, _) = Corpus.DecodeCaptures([Corpus.Path("logstash-netflow", "dat", "netflow5.dat")]);
        Assert.Equal(30, sink.Flows.Count());
    }
}
