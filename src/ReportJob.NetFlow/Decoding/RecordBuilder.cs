using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow.Decoding;

/// <summary>Mutable accumulator for one data record while its field plan runs.</summary>
internal struct RecordBuilder
{
    private const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;
    private const long UnixEpochTicks = 621_355_968_000_000_000L;
    private const ulong NtpToUnixSeconds = 2_208_988_800UL;

    // Anything before 1990 is an exporter bug or a missing reference (nfdump prints 1970); use the export time.
    private const long MinimumValidTicks = 627_667_488_000_000_000L;
    private const long MaximumValidTicks = 3_155_378_975_999_999_999L;

    public FlowAddress Source;
    public FlowAddress Destination;
    public FlowAddress NextHop;
    public ulong Bytes;
    public ulong Packets;
    public ulong FlowCount;
    public long StartTicks;
    public long EndTicks;
    public ulong SamplerId;
    public ulong SamplingInterval;
    public ulong SamplingPacketInterval;
    public ulong SamplingPacketSpace;
    public ulong SamplingSize;
    public ulong SamplingPopulation;
    public uint InputInterface;
    public uint OutputInterface;
    public uint SourceAs;
    public uint DestinationAs;
    public ushort SourcePort;
    public ushort DestinationPort;
    public ushort TcpFlags;
    public byte Protocol;
    public byte Tos;
    public byte SourceMask;
    public byte DestinationMask;
    public byte Direction;
    public byte BytesRank;
    public byte PacketsRank;
    public bool HasSamplerId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(FieldKind kind, ReadOnlySpan<byte> v, ref PacketContext ctx)
    {
        switch (kind)
        {
            case FieldKind.Skip:
                break;
            case FieldKind.SourceAddress:
                Source = Address(v, Source);
                break;
            case FieldKind.DestinationAddress:
                Destination = Address(v, Destination);
                break;
            case FieldKind.NextHop:
                NextHop = Address(v, NextHop);
                break;
            case FieldKind.SourcePort:
                SourcePort = (ushort)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.DestinationPort:
                DestinationPort = (ushort)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.Protocol:
                Protocol = (byte)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.TcpFlags:
                TcpFlags = (ushort)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.Tos:
                Tos = (byte)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.Bytes:
                SetBytes(v, 3);
                break;
            case FieldKind.BytesFallback:
                SetBytes(v, 2);
                break;
            case FieldKind.BytesTotal:
                SetBytes(v, 1);
                break;
            case FieldKind.Packets:
                SetPackets(v, 3);
                break;
            case FieldKind.PacketsFallback:
                SetPackets(v, 2);
                break;
            case FieldKind.PacketsTotal:
                SetPackets(v, 1);
                break;
            case FieldKind.InputInterface:
                InputInterface = (uint)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.OutputInterface:
                OutputInterface = (uint)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.Direction:
                if (v.Length > 0)
                {
                    Direction = v[^1] <= 1 ? v[^1] : (byte)FlowDirection.Unknown;
                }

                break;
            case FieldKind.SourceAs:
                SourceAs = (uint)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.DestinationAs:
                DestinationAs = (uint)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.SourceMask:
                SourceMask = (byte)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.DestinationMask:
                DestinationMask = (byte)NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.FirstUptime or FieldKind.StartSeconds or FieldKind.StartMilliseconds
                or FieldKind.StartNtp or FieldKind.StartDeltaMicroseconds:
                StartTicks = TimeTicks(kind, v, ref ctx);
                break;
            case FieldKind.LastUptime or FieldKind.EndSeconds or FieldKind.EndMilliseconds
                or FieldKind.EndNtp or FieldKind.EndDeltaMicroseconds:
                EndTicks = TimeTicks(kind, v, ref ctx);
                break;
            case FieldKind.SamplerId:
                SamplerId = NetFlowReader.ReadUnsigned(v);
                HasSamplerId = true;
                break;
            case FieldKind.SamplingInterval:
                SamplingInterval = NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.SamplingPacketInterval:
                SamplingPacketInterval = NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.SamplingPacketSpace:
                SamplingPacketSpace = NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.SamplingSize:
                SamplingSize = NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.SamplingPopulation:
                SamplingPopulation = NetFlowReader.ReadUnsigned(v);
                break;
            case FieldKind.FlowCount:
                FlowCount = NetFlowReader.ReadUnsigned(v);
                break;
            default:
                break;
        }
    }

    /// <summary>The rate carried by the record itself (0 when it carries none).</summary>
    public readonly uint OwnSamplingRate() =>
        SamplingRate(SamplingInterval, SamplingPacketInterval, SamplingPacketSpace, SamplingSize, SamplingPopulation);

    /// <summary>
    /// Rate from the sampling IEs: 309/310 → population / size (pmacct 104: a selector announces
    /// 305 = 1 as well, so 309/310 win); 305/306 → (interval + space) / interval (akvorado#1189);
    /// 34/50 → the interval itself. 0 when none is usable.
    /// </summary>
    public static uint SamplingRate(ulong interval, ulong packetInterval, ulong packetSpace, ulong size, ulong population)
    {
        ulong rate = 0;
        if (size > 0 && population > 0)
        {
            rate = population / size;
        }
        else if (packetInterval > 0)
        {
            rate = (packetInterval + packetSpace) / packetInterval;
        }
        else if (interval > 0)
        {
            rate = interval;
        }

        return rate > uint.MaxValue ? uint.MaxValue : (uint)rate;
    }

    public readonly FlowRecord Build(ref PacketContext ctx, ushort templateId)
    {
        var (start, end) = CompleteTimes(StartTicks, EndTicks, ctx.ExportTicks);
        var sampling = ResolveSampling(OwnSamplingRate(), HasSamplerId, SamplerId, ref ctx);
        return new FlowRecord
        {
            Exporter = ctx.Exporter,
            Version = ctx.Version,
            ObservationDomain = ctx.Domain,
            TemplateId = templateId,
            ExportTimeUtc = new DateTime(ctx.ExportTicks, DateTimeKind.Utc),
            StartUtc = new DateTime(start, DateTimeKind.Utc),
            EndUtc = new DateTime(end, DateTimeKind.Utc),
            SourceAddress = Source,
            DestinationAddress = Destination,
            NextHop = NextHop,
            SourcePort = SourcePort,
            DestinationPort = DestinationPort,
            Protocol = Protocol,
            TcpFlags = TcpFlags,
            Tos = Tos,
            Bytes = Bytes,
            Packets = Packets,
            InputInterface = InputInterface,
            OutputInterface = OutputInterface,
            Direction = (FlowDirection)Direction,
            SourceAs = SourceAs,
            DestinationAs = DestinationAs,
            SourceMask = SourceMask,
            DestinationMask = DestinationMask,
            SamplingInterval = sampling,
            FlowCount = FlowCount == 0 ? 1 : FlowCount,
        };
    }

    /// <summary>A missing start is the end (or the export time); a missing end is the start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (long Start, long End) CompleteTimes(long start, long end, long exportTicks)
    {
        if (start == 0)
        {
            start = end != 0 ? end : exportTicks;
        }

        if (end == 0)
        {
            end = start;
        }

        return (start, end);
    }

    /// <summary>
    /// The sampling interval in effect: the configured override, the record's own rate, the rate of the
    /// sampler it names, the exporter's announced default, then the v5 header (1 = unsampled).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ResolveSampling(uint ownRate, bool hasSamplerId, ulong samplerId, ref PacketContext ctx)
    {
        uint sampling = ctx.SamplingOverride;
        if (sampling == 0)
        {
            sampling = ownRate;
            if (sampling == 0 && hasSamplerId && ctx.State.Samplers is { } samplers)
            {
                samplers.TryGetValue(samplerId, out sampling);
            }

            if (sampling == 0)
            {
                sampling = ctx.State.DefaultSampling;
            }

            if (sampling == 0)
            {
                sampling = ctx.HeaderSampling == 0 ? 1 : ctx.HeaderSampling;
            }
        }

        return sampling;
    }

    /// <summary>An address field: 4 bytes IPv4, 16 bytes IPv6, any other length none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FlowAddress AddressOf(ReadOnlySpan<byte> v)
    {
        if (v.Length == 4)
        {
            return FlowAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(v));
        }

        return v.Length == 16 ? FlowAddress.FromIPv6(v) : default;
    }

    /// <summary>A start or end time field as UTC ticks, 0 when unusable.</summary>
    public static long TimeTicks(FieldKind kind, ReadOnlySpan<byte> v, ref PacketContext ctx)
    {
        switch (kind)
        {
            case FieldKind.FirstUptime or FieldKind.LastUptime:
                return FromUptime((uint)NetFlowReader.ReadUnsigned(v), ref ctx);
            case FieldKind.StartSeconds or FieldKind.EndSeconds:
                return FromUnixMilliseconds(NetFlowReader.ReadUnsigned(v) * 1000);
            case FieldKind.StartMilliseconds or FieldKind.EndMilliseconds:
                return FromUnixMilliseconds(NetFlowReader.ReadUnsigned(v));
            case FieldKind.StartNtp or FieldKind.EndNtp:
                return FromNtp(v);
            case FieldKind.StartDeltaMicroseconds or FieldKind.EndDeltaMicroseconds:
                // RFC 7011 IE 158/159: microseconds before the export time.
                return ctx.ExportTicks - ((long)(NetFlowReader.ReadUnsigned(v) & 0xFFFF_FFFF) * 10);
            default:
                return 0;
        }
    }

    public static long UnixTicks(ulong unixMilliseconds) => FromUnixMilliseconds(unixMilliseconds);

    /// <summary>Clamps a tick count to the accepted range, 0 meaning "not usable".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Valid(long ticks) => ticks is >= MinimumValidTicks and <= MaximumValidTicks ? ticks : 0;

    public static long FromUnixSeconds(uint seconds, uint nanoseconds) =>
        UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond) + (Math.Min(nanoseconds, 999_999_999u) / 100);

    private void SetBytes(ReadOnlySpan<byte> v, byte rank)
    {
        if (rank >= BytesRank)
        {
            Bytes = NetFlowReader.ReadUnsigned(v);
            BytesRank = rank;
        }
    }

    private void SetPackets(ReadOnlySpan<byte> v, byte rank)
    {
        if (rank >= PacketsRank)
        {
            Packets = NetFlowReader.ReadUnsigned(v);
            PacketsRank = rank;
        }
    }

    private static FlowAddress Address(ReadOnlySpan<byte> v, FlowAddress current)
    {
        // Templates carrying both IPv4 and IPv6 fields (Procera) leave the unused one zero: a zero
        // address never overwrites a real one; a field of another length is ignored.
        if (v.Length is not (4 or 16))
        {
            return current;
        }

        var value = AddressOf(v);
        return value.IsUnspecified && !current.IsUnspecified ? current : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FromUptime(uint uptimeMs, ref PacketContext ctx)
    {
        if (ctx.Version == NetFlowVersion.Ipfix)
        {
            // RFC 7011 IE 21/22 are relative to systemInitTimeMilliseconds (IE 160, options data).
            // Without it there is no reference: the export time is the honest fallback.
            var init = ctx.State.SystemInitMilliseconds;
            return init >= 0 ? FromUnixMilliseconds((ulong)init + uptimeMs) : 0;
        }

        return FromSysUptime(uptimeMs, ctx.ExportTicks, ctx.SysUptime);
    }

    /// <summary>A v5/v9 uptime stamp as UTC ticks (0 when unusable), from the packet's export time and sysUptime.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FromSysUptime(uint uptimeMs, long exportTicks, uint sysUptime) =>
        Valid(UptimeTicks(uptimeMs, exportTicks, sysUptime));

    /// <summary>
    /// A v5/v9 uptime stamp as UTC ticks, unchecked: valid whatever the stamp when
    /// <see cref="UptimeAlwaysValid"/> holds for the packet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UptimeTicks(uint uptimeMs, long exportTicks, uint sysUptime)
    {
        // RFC 3954 §5.1 / v5: export − (sysUptime − first), in uint32 modular arithmetic read as signed,
        // so uptime wrap-around and FIRST slightly after sysUptime both work.
        var delta = (int)(sysUptime - uptimeMs);
        return exportTicks - ((long)delta * TicksPerMillisecond);
    }

    /// <summary>
    /// True when every v5/v9 uptime stamp of a packet exported at <paramref name="exportTicks"/> converts to a
    /// valid time: a stamp is at most 2^31 ms (24.8 days) either side of the export time.
    /// </summary>
    public static bool UptimeAlwaysValid(long exportTicks) =>
        exportTicks - ((long)int.MaxValue * TicksPerMillisecond) >= MinimumValidTicks
        && exportTicks - ((long)int.MinValue * TicksPerMillisecond) <= MaximumValidTicks;

    private static long FromUnixMilliseconds(ulong ms)
    {
        if (ms > 253_402_300_799_999UL)
        {
            return 0;
        }

        return Valid(UnixEpochTicks + ((long)ms * TicksPerMillisecond));
    }

    private static long FromNtp(ReadOnlySpan<byte> v)
    {
        // RFC 7011 §6.1.9/6.1.10: NTP 64-bit, seconds since 1900 + 2^-32 fraction.
        if (v.Length != 8)
        {
            return 0;
        }

        var seconds = BinaryPrimitives.ReadUInt32BigEndian(v);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(v[4..]);
        if (seconds < NtpToUnixSeconds)
        {
            return 0;
        }

        var fractionTicks = (long)(((ulong)fraction * TimeSpan.TicksPerSecond) >> 32);
        return Valid(UnixEpochTicks + ((long)(seconds - NtpToUnixSeconds) * TimeSpan.TicksPerSecond) + fractionTicks);
    }
}
