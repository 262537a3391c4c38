using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>Hand-built packets, one per way real exporters differ from each other and from the RFCs' examples.</summary>
public sealed class FlowDecoderTests
{
    private static readonly FlowAddress Exporter = FlowAddress.Parse("192.0.2.1");

    // v9 header: version 9, count, sysUptime 100000 ms, unix secs 1700000000, sequence, source id.
    private static string V9Header(uint sequence = 1, uint sourceId = 7, uint uptime = 100_000) =>
        $"0009 0001 {uptime:x8} 6553f100 {sequence:x8} {sourceId:x8}";

    // Template 256: src addr (8,4), dst addr (12,4), bytes (1,4), packets (2,4), first (22,4), last (21,4).
    private const string V9Template256 = "0000 0020 0100 0006 0008 0004 000c 0004 0001 0004 0002 0004 0016 0004 0015 0004";

    // One record for template 256: 10.0.0.1 → 10.0.0.2, 1000 bytes, 10 packets, first 95000, last 99000.
    private const string V9Data256 = "0100 001c 0a000001 0a000002 000003e8 0000000a 00017318 000182b8";

    private static (RecordingSink Sink, DecodeResult Result) Decode(FlowDecoder decoder, string hex)
    {
        var sink = new RecordingSink();
        var result = decoder.Decode(Exporter, Hex.Bytes(hex), ref sink);
        return (sink, result);
    }

    [Fact]
    public void DecodeV9_TemplateThenData_DecodesRecordWithUptimeRelativeTimes()
    {
        var (sink, result) = Decode(new FlowDecoder(), V9Header() + V9Template256 + V9Data256);

        Assert.Equal(DecodeStatus.Ok, result.Status);
        var flow = Assert.Single(sink.Flows);
        Assert.Equal("10.0.0.1", flow.SourceAddress.ToString());
        Assert.Equal(1000UL, flow.Bytes);
        Assert.Equal(10UL, flow.Packets);

        // RFC 3954: start = export − (sysUptime − first) = 1700000000 s − 5 s.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 - 5).UtcDateTime, flow.StartUtc);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 - 1).UtcDateTime, flow.EndUtc);
        Assert.Equal(1u, flow.SamplingInterval);
        Assert.Equal(FlowDirection.Unknown, flow.Direction);
    }

    [Fact]
    public void DecodeV9_DataBeforeTemplateInSamePacket_DecodedWhenTemplateArrives()
    {
        var decoder = new FlowDecoder();
        var (sink, result) = Decode(decoder, V9Header() + V9Data256 + V9Template256);

        Assert.Single(sink.Flows);
        Assert.True(result.Status.HasFlag(DecodeStatus.MissingTemplate));
        Assert.Equal(1, decoder.Statistics.PendingSetsDecoded);
        Assert.Equal(0, decoder.PendingSetCount);
    }

    [Fact]
    public void DecodeV9_DataWithoutTemplate_IsPendingThenDroppedAndCounted()
    {
        var decoder = new FlowDecoder(new FlowDecoderOptions { MaxPendingSetsPerTemplate = 2 });
        for (var i = 0; i < 3; i++)
        {
            Decode(decoder, V9Header((uint)i + 1) + V9Data256);
        }

        Assert.Equal(2, decoder.PendingSetCount);
        Assert.Equal(1, decoder.Statistics.PendingSetsDropped);
    }

    [Fact]
    public void DecodeV9_TemplateKeyIgnoresPortButNotSourceId()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(sourceId: 1) + V9Template256);
        var (other, _) = Decode(decoder, V9Header(sequence: 2, sourceId: 2) + V9Data256);
        var (same, _) = Decode(decoder, V9Header(sequence: 2, sourceId: 1) + V9Data256);

        Assert.Empty(other.Flows);
        Assert.Single(same.Flows);
    }

    [Theory]
    [InlineData("0100 0003")] // flowset length < 4 must stop the packet, not loop
    [InlineData("0100 0000")]
    public void DecodeV9_FlowsetShorterThanHeader_StopsAsMalformed(string tail)
    {
        var (sink, result) = Decode(new FlowDecoder(), V9Header() + V9Template256 + tail + "0000 0000 0000");
        Assert.Empty(sink.Flows);
        Assert.True(result.Status.HasFlag(DecodeStatus.MalformedSet));
    }

    [Fact]
    public void DecodeV9_ZeroFilledTail_IsPaddingNotError()
    {
        var (sink, result) = Decode(new FlowDecoder(), V9Header() + V9Template256 + V9Data256 + new string('0', 400));
        Assert.Single(sink.Flows);
        Assert.Equal(DecodeStatus.Ok, result.Status);
    }

    [Fact]
    public void DecodeV9_FlowsetLongerThanDatagram_IsTruncatedAndReaderStops()
    {
        var (sink, result) = Decode(new FlowDecoder(), V9Header() + V9Template256 + "0100 0040 0a000001");
        Assert.Empty(sink.Flows);
        Assert.True(result.Status.HasFlag(DecodeStatus.Truncated));
    }

    [Theory]
    [InlineData(1, "05")]
    [InlineData(3, "000105")]
    [InlineData(5, "0000000105")]
    [InlineData(8, "0000000000000105")]
    public void DecodeV9_ReducedSizeCounters_ReadBigEndianOfAnyLength(int length, string value)
    {
        var template = $"0000 000c 0101 0001 0001 {length:x4}";
        var data = $"0101 {4 + length:x4} {value}";
        var (sink, _) = Decode(new FlowDecoder(), V9Header() + template + data);
        Assert.Equal(length == 1 ? 5UL : 261UL, Assert.Single(sink.Flows).Bytes);
    }

    [Fact]
    public void DecodeV9_ZeroLengthField_IsAccepted()
    {
        var template = "0000 0010 0102 0002 0008 0004 005f 0000";
        var data = "0102 0008 0a000009";
        var (sink, _) = Decode(new FlowDecoder(), V9Header() + template + data);
        Assert.Equal("10.0.0.9", Assert.Single(sink.Flows).SourceAddress.ToString());
    }

    [Fact]
    public void DecodeV9_VariableLengthFieldFromH3C_IsDecoded()
    {
        // Template: src port (7,2), VRF name (236, 65535): H3C's non-standard v9 variable length.
        var template = "0000 0010 0103 0002 0007 0002 00ec ffff";
        var data = "0103 000c 0089 03 616263 0000";
        var (sink, _) = Decode(new FlowDecoder(), V9Header() + template + data);
        var e = Assert.Single(sink.Events);
        Assert.Equal(137, e.Flow.SourcePort);
        Assert.True(e.TryGetField(236, out var vrf));
        Assert.Equal("abc"u8.ToArray(), vrf);
    }

    [Fact]
    public void DecodeV9_OptionsTemplateWithZeroScopeAndSampling_StoresRateOutOfFlows()
    {
        // Options template 300: scope length 0, options: sampling interval (34, 4).
        var optionsTemplate = "0001 0010 012c 0000 0004 0022 0004 0000";
        var optionsData = "012c 0008 00000064";
        var decoder = new FlowDecoder();
        var (sink, _) = Decode(decoder, V9Header() + optionsTemplate + optionsData + V9Template256 + V9Data256);

        Assert.Single(sink.Events, e => e.IsOptions);
        Assert.Equal(100u, Assert.Single(sink.Flows).SamplingInterval);
        Assert.Equal(100u, decoder.GetAnnouncedSampling(Exporter, NetFlowVersion.V9, 7));
    }

    [Fact]
    public void DecodeV9_SamplerIdInRecord_UsesThatSamplersRate()
    {
        // Options 300: scope System (1,4), sampler id (48,1), interval (50,4). Data template 257 carries 48.
        var optionsTemplate = "0001 0018 012c 0004 0008 0001 0004 0030 0001 0032 0004 0000";
        var optionsData = "012c 0010 00000000 02 00000400 000000";
        var template = "0000 0010 0101 0002 0008 0004 0030 0001";
        var data = "0101 000c 0a000001 02 000000";
        var (sink, _) = Decode(new FlowDecoder(), V9Header() + optionsTemplate + optionsData + template + data);
        Assert.Equal(1024u, Assert.Single(sink.Flows).SamplingInterval);
    }

    [Fact]
    public void DecodeV9_SameTemplateResent_IsRefreshNotReplace()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(1) + V9Template256);
        Decode(decoder, V9Header(2) + V9Template256);
        Decode(decoder, V9Header(3) + "0000 000c 0100 0001 0008 0004");
        Assert.Equal(1, decoder.Statistics.TemplatesAdded);
        Assert.Equal(1, decoder.Statistics.TemplatesRefreshed);
        Assert.Equal(1, decoder.Statistics.TemplatesReplaced);
    }

    [Fact]
    public void DecodeV9_TemplateReplacedAfterUse_NextDataUsesNewDefinition()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(1) + V9Template256 + V9Data256);

        // Template 256 again, now dst addr (12,4) then bytes (1,4): the stream's recent template is stale.
        var (sink, _) = Decode(decoder, V9Header(2) + "0000 0010 0100 0002 000c 0004 0001 0004" + "0100 000c 0a000009 00000007");

        var flow = Assert.Single(sink.Flows);
        Assert.Equal("10.0.0.9", flow.DestinationAddress.ToString());
        Assert.Equal(FlowAddress.None, flow.SourceAddress);
        Assert.Equal(7UL, flow.Bytes);
    }

    [Fact]
    public void DecodeIpfix_TemplateWithdrawnAfterUse_NextDataWaitsForTemplate()
    {
        var decoder = new FlowDecoder();
        var template = "0002 000c 0190 0001 0008 0004";
        var data = "0190 0008 0a000001";
        Assert.Single(Decode(decoder, IpfixMessage(template + data)).Sink.Flows);

        var (sink, result) = Decode(decoder, IpfixMessage("0002 0008 0190 0000" + data));

        Assert.Empty(sink.Flows);
        Assert.True(result.Status.HasFlag(DecodeStatus.MissingTemplate));
    }

    [Fact]
    public void DecodeV9_UptimeAndSequenceGoBack_ClearsTemplates()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(sequence: 500, uptime: 10_000_000) + V9Template256);
        var (sink, result) = Decode(decoder, V9Header(sequence: 1, uptime: 1_000) + V9Data256);
        Assert.Empty(sink.Flows);
        Assert.True(result.Status.HasFlag(DecodeStatus.ExporterReset));
        Assert.Equal(1, decoder.Statistics.ExporterResets);
    }

    [Fact]
    public void DecodeV9_SequenceGap_CountsLostPackets()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(sequence: 10) + V9Template256);
        var (_, result) = Decode(decoder, V9Header(sequence: 14) + V9Data256);
        Assert.True(result.Status.HasFlag(DecodeStatus.SequenceGap));
        Assert.Equal(3, decoder.Statistics.SequenceLost);
    }

    [Fact]
    public void DecodeV9_SequenceWrapsModulo32_IsNoGap()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, V9Header(sequence: uint.MaxValue) + V9Template256);
        var (_, result) = Decode(decoder, V9Header(sequence: 0) + V9Data256);
        Assert.False(result.Status.HasFlag(DecodeStatus.SequenceGap));
    }

    [Fact]
    public void DecodeV9_TemplateIdleBeyondTimeout_Expires()
    {
        var decoder = new FlowDecoder(new FlowDecoderOptions { TemplateIdleTimeout = TimeSpan.FromHours(1) });
        Decode(decoder, V9Header(1) + V9Template256);
        var later = $"0009 0001 00100000 6554e000 00000002 00000007"; // ~17 h later, same uptime progression
        var (sink, _) = Decode(decoder, later + V9Data256);
        Assert.Empty(sink.Flows);
        Assert.Equal(1, decoder.Statistics.TemplatesExpired);
    }

    [Fact]
    public void DecodeV9_TooManyTemplateFields_IsRejected()
    {
        var decoder = new FlowDecoder(new FlowDecoderOptions { MaxTemplateFields = 2 });
        var (_, result) = Decode(decoder, V9Header() + V9Template256);
        Assert.True(result.Status.HasFlag(DecodeStatus.InvalidTemplate));
        Assert.Equal(0, decoder.TemplateCount);
    }

    // IPFIX header: version 10, length, export time 1700000000, sequence, domain 1.
    private static string IpfixMessage(string sets, uint sequence = 0, uint domain = 1) =>
        $"000a {16 + (Hex.Bytes(sets).Length):x4} 6553f100 {sequence:x8} {domain:x8}" + sets;

    [Fact]
    public void DecodeIpfix_EnterpriseAndVariableLengthFields_KeptAsRawAndRecordNotDropped()
    {
        // Template 400: sourceIPv4Address (8,4), enterprise 29305/1 (len 4), enterprise 5951/130 variable.
        var template = "0002 001c 0190 0003 0008 0004 8001 0004 00007279 8082 ffff 0000173f";
        var data = "0190 0012 0a000001 00000007 04 74657374 00";
        var (sink, result) = Decode(new FlowDecoder(), IpfixMessage(template + data));
        var e = Assert.Single(sink.Events);
        Assert.Equal("10.0.0.1", e.Flow.SourceAddress.ToString());
        Assert.True(e.TryGetField(1, out var reverse, 29305));
        Assert.Equal([0, 0, 0, 7], reverse);
        Assert.True(e.TryGetField(130, out var text, 5951));
        Assert.Equal("test"u8.ToArray(), text);
        Assert.Equal(DecodeStatus.Ok, result.Status);
    }

    [Fact]
    public void DecodeIpfix_LongVariableLength_UsesThreeBytePrefix()
    {
        var template = "0002 000c 0191 0001 0052 ffff";
        var value = new string('6', 600);
        var data = $"0191 {4 + 3 + 300:x4} ff012c {value}";
        var (sink, _) = Decode(new FlowDecoder(), IpfixMessage(template + data));
        Assert.True(Assert.Single(sink.Events).TryGetField(82, out var name));
        Assert.Equal(300, name.Length);
    }

    [Fact]
    public void DecodeIpfix_WithdrawalAndWithdrawAll_RemoveTemplates()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, IpfixMessage("0002 0014 0190 0001 0008 0004 0191 0001 000c 0004"));
        Assert.Equal(2, decoder.TemplateCount);
        Decode(decoder, IpfixMessage("0002 0008 0190 0000"));
        Assert.Equal(1, decoder.TemplateCount);
        Decode(decoder, IpfixMessage("0002 0008 0002 0000"));
        Assert.Equal(0, decoder.TemplateCount);
        Assert.Equal(2, decoder.Statistics.TemplatesWithdrawn);
    }

    [Fact]
    public void DecodeIpfix_NtpAndDeltaTimes_AreConvertedToUtc()
    {
        // 156 flowStartNanoseconds (NTP: 1700000000 + 2208988800 s, half a second), 159 flowEndDeltaMicroseconds (2 s).
        var template = "0002 0010 0192 0002 009c 0008 009f 0004";
        var ntpSeconds = 1_700_000_000UL + 2_208_988_800UL;
        var data = $"0192 0010 {ntpSeconds:x8}80000000 001e8480";
        var (sink, _) = Decode(new FlowDecoder(), IpfixMessage(template + data));
        var flow = Assert.Single(sink.Flows);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500).UtcDateTime, flow.StartUtc);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 - 2).UtcDateTime, flow.EndUtc);
    }

    [Fact]
    public void DecodeIpfix_SysUptimeWithoutSystemInitTime_FallsBackToExportTimeNever1970()
    {
        var template = "0002 0010 0193 0002 0016 0004 0015 0004";
        var data = "0193 000c 00000010 00000020";
        var (sink, _) = Decode(new FlowDecoder(), IpfixMessage(template + data));
        var flow = Assert.Single(sink.Flows);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime, flow.StartUtc);
    }

    [Fact]
    public void DecodeIpfix_SamplingSizeAndPopulationOptions_GiveRate()
    {
        // Options template 500: scope selectorId (302,4), 309 (4), 310 (4); data template 401 with 302.
        var options = "0003 0018 01f4 0003 0001 012e 0004 0135 0004 0136 0004 0000";
        var optionsData = "01f4 0010 00000001 00000001 00000100";
        var template = "0002 0010 0191 0002 0008 0004 012e 0004";
        var data = "0191 000c 0a000001 00000001";
        var (sink, _) = Decode(new FlowDecoder(), IpfixMessage(options + optionsData + template + data));
        Assert.Equal(256u, Assert.Single(sink.Flows).SamplingInterval);
    }

    [Fact]
    public void DecodeIpfix_V9AndIpfixTemplatesWithSameId_AreKeptApart()
    {
        var decoder = new FlowDecoder();
        Decode(decoder, IpfixMessage("0002 000c 0100 0001 0008 0004", domain: 7));
        var (sink, _) = Decode(decoder, V9Header() + V9Data256);
        Assert.Empty(sink.Flows);
    }

    [Fact]
    public void DecodeV5_HeaderSamplingAndModularUptime_AreApplied()
    {
        // count 1, sysUptime 3381, unix secs 1430591888, nsecs 280328000, seq 0, sampling mode 1 interval 10.
        var header = "0005 0001 00000d35 55451990 10b5 7740 00000000 0000 400a";
        var record = "0a000202 0a00020f 00000000 0000 0000 00000005 000000e6 ffffffff 00000a11 d4a3 0016 00 10 06 00 0000 0000 00 00 0000";
        var (sink, result) = Decode(new FlowDecoder(), header + record);
        var flow = Assert.Single(sink.Flows);
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(10u, flow.SamplingInterval);

        // netflow5.dat: FIRST = 0xFFFFFFFF with sysUptime 3381 → 3.382 s before the export, not +49.7 days.
        var export = DateTimeOffset.FromUnixTimeSeconds(1_430_591_888).UtcDateTime.AddTicks(280_328_000 / 100);
        Assert.Equal(export.AddMilliseconds(-3382), flow.StartUtc);
        Assert.Equal(230UL, flow.Bytes);
    }

    [Theory]
    [InlineData("0005 0000")]
    [InlineData("0005 d91e 0003 410f 5530 a919 0000 0240 0000 0955 0043 0000")]
    [InlineData("0009 0001 0000")]
    [InlineData("000a 0010 0000")]
    [InlineData("0007 0000 0000 0000")]
    [InlineData("")]
    public void Decode_ShortOrInvalidHeaders_ReturnStatusWithoutThrowing(string hex)
    {
        var (sink, result) = Decode(new FlowDecoder(), hex);
        Assert.Empty(sink.Events);
        Assert.NotEqual(DecodeStatus.Ok, result.Status);
    }

    [Fact]
    public void ExportTemplates_ImportIntoNewSession_DecodesData()
    {
        var first = new FlowDecoder();
        Decode(first, V9Header() + V9Template256);
        var second = new FlowDecoder();
        Assert.True(second.TryImportTemplates(first.ExportTemplates(), out var imported));
        Assert.Equal(1, imported);
        Assert.Single(Decode(second, V9Header(2) + V9Data256).Sink.Flows);
        Assert.False(second.TryImportTemplates(Hex.Bytes("524a5431 00000001 00"), out _));
    }
}
