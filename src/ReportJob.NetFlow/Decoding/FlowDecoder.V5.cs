using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    private const int V5HeaderLength = 24;
    private const int V5RecordLength = 48;
    private const int V5MaxCount = 30;

    private void DecodeV5<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, DateTime receivedUtc, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        Statistics.V5Packets++;
        if (datagram.Length < V5HeaderLength)
        {
            tally.Skip(DecodeStatus.TooShort);
            return;
        }

        // Cisco v5 header: version, count, sysUptime, unix_secs, unix_nsecs, flow_sequence,
        // engine_type, engine_id, sampling_interval (2-bit mode, 14-bit interval).
        var count = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        var sysUptime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[16..]);
        var domain = (uint)((datagram[20] << 8) | datagram[21]);
        var sampling = (uint)(BinaryPrimitives.ReadUInt16BigEndian(datagram[22..]) & 0x3FFF);

        if (count is 0 or > V5MaxCount)
        {
            tally.Skip(DecodeStatus.InvalidCount);
            return;
        }

        var available = (datagram.Length - V5HeaderLength) / V5RecordLength;
        if (available < count)
        {
            tally.Skip(DecodeStatus.Truncated);
            count = (ushort)available;
        }
        else if (datagram[(V5HeaderLength + (count * V5RecordLength))..].ContainsAnyExcept((byte)0))
        {
            // Bytes after the records the header counts (a sloppy exporter, or messages concatenated in a .dat file):
            // the count rules, and the rest is not read.
            tally.Deviations |= ExportDeviations.TrailingBytes;
        }

        var state = GetDomain(new DomainKey(exporter, NetFlowVersion.V5, domain));
        // A restart needs both signs: sysUptime went back and the sequence did not move forward
        // (stitched fixtures and reordered packets show one without the other).
        var outcome = CheckSequence(state, sequence, ref tally);
        var restarted = CheckRestart(state, sysUptime, seconds) && outcome != SequenceOutcome.InOrder;
        if (restarted && _options.ClearTemplatesOnExporterRestart)
        {
            ResetDomain(new DomainKey(exporter, NetFlowVersion.V5, domain), state, ref tally, ref sink);
            tally.Status |= DecodeStatus.ExporterReset;
        }

        if (restarted || outcome != SequenceOutcome.Late)
        {
            // v5 flow_sequence counts flows.
            state.ExpectedSequence = sequence + count;
            state.SequenceKnown = true;
        }

        var ctx = new PacketContext
        {
            Exporter = exporter,
            Version = NetFlowVersion.V5,
            Domain = domain,
            ExportSeconds = seconds,
            ExportTicks = ExportTicks(seconds, nanoseconds, receivedUtc, ref tally),
            SysUptime = sysUptime,
            HeaderSampling = sampling,
            SamplingOverride = SamplingOverride(exporter),
            State = state,
        };

        var records = datagram.Slice(V5HeaderLength, count * V5RecordLength);
        for (var i = 0; i < count; i++)
        {
            var r = records.Slice(i * V5RecordLength, V5RecordLength);
            var b = default(RecordBuilder);
            b.Direction = (byte)FlowDirection.Unknown;
            b.Source = FlowAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(r));
            b.Destination = FlowAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(r[4..]));
            b.NextHop = FlowAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(r[8..]));
            b.InputInterface = BinaryPrimitives.ReadUInt16BigEndian(r[12..]);
            b.OutputInterface = BinaryPrimitives.ReadUInt16BigEndian(r[14..]);
            b.Packets = BinaryPrimitives.ReadUInt32BigEndian(r[16..]);
            b.Bytes = BinaryPrimitives.ReadUInt32BigEndian(r[20..]);
            b.Apply(FieldKind.FirstUptime, r.Slice(24, 4), ref ctx);
            b.Apply(FieldKind.LastUptime, r.Slice(28, 4), ref ctx);
            b.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(r[32..]);
            b.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(r[34..]);
            b.TcpFlags = r[37];
            b.Protocol = r[38];
            b.Tos = r[39];
            b.SourceAs = BinaryPrimitives.ReadUInt16BigEndian(r[40..]);
            b.DestinationAs = BinaryPrimitives.ReadUInt16BigEndian(r[42..]);
            b.SourceMask = r[44];
            b.DestinationMask = r[45];
            var record = b.Build(ref ctx, 0);
            sink.OnFlow(in record, new FlowFields(null, r));
        }

        Statistics.FlowRecords += count;
        tally.Flows += count;
    }

    /// <summary>
    /// An exporter restart: sysUptime went back by more than a minute while its export clock did not. Its
    /// templates then are stale (RFC 3954 §5.1: sysUpTime is the time since the device booted; a template ID is only
    /// meaningful until the exporter restarts). Uptime wrap after 49.7 days is a small positive step in modular
    /// arithmetic, so it is not mistaken for a restart.
    /// </summary>
    private static bool CheckRestart(DomainState state, uint sysUptime, uint exportSeconds)
    {
        var restarted = false;
        if (state.UptimeKnown)
        {
            var step = (int)(sysUptime - state.LastUptime);
            restarted = step < -60_000 && exportSeconds >= state.LastExportSeconds;
        }

        if (!state.UptimeKnown || restarted || (int)(exportSeconds - state.LastExportSeconds) >= 0)
        {
            state.UptimeKnown = true;
            state.LastUptime = sysUptime;
            state.LastExportSeconds = exportSeconds;
        }

        return restarted;
    }
}
