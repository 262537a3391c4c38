using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    private const int V9HeaderLength = 20;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeV9<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, DateTime receivedUtc, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        Statistics.V9Packets++;
        if (datagram.Length < V9HeaderLength)
        {
            tally.Skip(DecodeStatus.TooShort);
            return;
        }

        // RFC 3954 §5.1: version, count, sysUpTime, UNIX secs, sequence, source id. `count` is not
        // trusted (softflowd leaves out templates, nfdump#447): the packet is walked by set lengths.
        var sysUptime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        var sourceId = BinaryPrimitives.ReadUInt32BigEndian(datagram[16..]);

        var domainKey = new DomainKey(exporter, NetFlowVersion.V9, sourceId);
        var state = GetDomain(domainKey);
        // A restart needs both signs: sysUptime went back and the sequence did not move forward
        // (stitched fixtures and reordered packets show one without the other).
        var outcome = CheckSequence(state, sequence, ref tally);
        var restarted = CheckRestart(state, sysUptime, seconds) && outcome != SequenceOutcome.InOrder;
        if (restarted && _options.ClearTemplatesOnExporterRestart)
        {
            ResetDomain(domainKey, state, ref tally, ref sink);
            tally.Status |= DecodeStatus.ExporterReset;
        }

        if (restarted || outcome != SequenceOutcome.Late)
        {
            // RFC 3954 §5.1: the v9 sequence counts export packets per Source ID.
            state.ExpectedSequence = sequence + 1;
            state.SequenceKnown = true;
        }

        var ctx = new PacketContext
        {
            Exporter = exporter,
            Version = NetFlowVersion.V9,
            Domain = sourceId,
            ExportSeconds = seconds,
            ExportTicks = ExportTicks(seconds, 0, receivedUtc, ref tally),
            SysUptime = sysUptime,
            SamplingOverride = SamplingOverride(exporter),
            State = state,
        };

        var reader = new NetFlowReader(datagram[V9HeaderLength..]);
        WalkSets(ref reader, ref ctx, ref tally, ref sink);
    }

    /// <summary>
    /// Walks v9 FlowSets / IPFIX Sets by their declared lengths; each set body is read through a child
    /// reader so one bad set cannot desynchronise the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WalkSets<TSink>(ref NetFlowReader reader, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var ipfix = ctx.Version == NetFlowVersion.Ipfix;
        while (reader.Remaining > 0)
        {
            if (reader.Remaining < 4)
            {
                // Too short for a set header: padding (RFC 3954 §5.3, RFC 7011 §3.3.1).
                return;
            }

            var probe = reader;
            probe.TryReadUInt16(out var setId);
            probe.TryReadUInt16(out var setLength);
            if (setLength < 4)
            {
                if (reader.RemainingIsZero())
                {
                    // Zero filler after the last set (Palo Alto fills its datagrams to a fixed size, Cisco ACI ends
                    // template packets with zeros): padding. A set of length 4 or more is never all zero, so only a
                    // short one needs the scan.
                    return;
                }

                // A set shorter than its own 4-byte header (RFC 3954 §5.2, RFC 7011 §3.3.2) cannot be stepped over:
                // walking on would loop on it, so the rest of the packet is skipped.
                MalformedSet(ref tally, DecodeStatus.MalformedSet);
                return;
            }

            if (!reader.TrySkip(4) || !reader.TryReadChild(setLength - 4, out var body))
            {
                MalformedSet(ref tally, DecodeStatus.Truncated);
                return;
            }

            if (!ipfix && (setLength & 3) != 0 && reader.Remaining > 0)
            {
                // RFC 3954 §5.3: a FlowSet is padded to a 32-bit boundary; this one is not, and the next set starts
                // where its length says (an IPFIX set's padding is optional, RFC 7011 §3.3.1).
                tally.Deviations |= ExportDeviations.UnpaddedSet;
            }

            if (setId >= 256)
            {
                // Data sets: ≥ 256 in both v9 (RFC 3954 §5.3) and IPFIX (RFC 7011 §3.3.2).
                DecodeDataSet(setId, body.RemainingSpan, ref ctx, ref tally, ref sink);
            }
            else if (ipfix)
            {
                // RFC 7011 §3.3.2: 2 = template, 3 = options template, 0, 1 and 4–255 reserved.
                switch (setId)
                {
                    case 2:
                        ReadIpfixTemplates(ref body, ref ctx, isOptions: false, ref tally, ref sink);
                        break;
                    case 3:
                        ReadIpfixTemplates(ref body, ref ctx, isOptions: true, ref tally, ref sink);
                        break;
                    default:
                        Statistics.ReservedSets++;
                        break;
                }
            }
            else
            {
                // RFC 3954 §5.2–5.3: 0 = template, 1 = options template, 2–255 reserved.
                switch (setId)
                {
                    case 0:
                        ReadV9Templates(ref body, ref ctx, ref tally, ref sink);
                        break;
                    case 1:
                        ReadV9OptionsTemplates(ref body, ref ctx, ref tally, ref sink);
                        break;
                    default:
                        Statistics.ReservedSets++;
                        break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadV9Templates<TSink>(ref NetFlowReader body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        // RFC 3954 §5.2: template id, field count, then (type, length) pairs; padding after the last record.
        while (body.Remaining >= 4)
        {
            var start = body;
            body.TryReadUInt16(out var templateId);
            body.TryReadUInt16(out var fieldCount);
            if (templateId == 0 && fieldCount == 0 && start.RemainingIsZero())
            {
                return;
            }

            if (templateId < 256 || fieldCount == 0 || fieldCount > _fieldScratch.Length || body.Remaining < fieldCount * 4)
            {
                RejectTemplate(ref tally);
                return;
            }

            for (var i = 0; i < fieldCount; i++)
            {
                body.TryReadUInt16(out var type);
                body.TryReadUInt16(out var length);
                _fieldScratch[i] = new TemplateField(type, length, 0);
            }

            tally.Templates++;
            Statistics.TemplateRecords++;
            var key = new TemplateKey(ctx.Exporter, NetFlowVersion.V9, ctx.Domain, templateId);
            RegisterTemplate(key, isOptions: false, 0, _fieldScratch.AsSpan(0, fieldCount), ref ctx, ref tally, ref sink);
        }
    }

    private void ReadV9OptionsTemplates<TSink>(ref NetFlowReader body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        // RFC 3954 §6.1: template id, option scope length (bytes), option length (bytes), scope
        // fields, option fields, padding. A scope length of 0 is accepted (Juniper SRX).
        while (body.Remaining >= 6)
        {
            var start = body;
            body.TryReadUInt16(out var templateId);
            body.TryReadUInt16(out var scopeLength);
            body.TryReadUInt16(out var optionLength);
            if (templateId == 0 && start.RemainingIsZero())
            {
                return;
            }

            var scopeCount = scopeLength / 4;
            var fieldCount = scopeCount + (optionLength / 4);
            if (templateId < 256 || scopeLength % 4 != 0 || optionLength % 4 != 0 || fieldCount == 0
                || fieldCount > _fieldScratch.Length || body.Remaining < fieldCount * 4)
            {
                RejectTemplate(ref tally);
                return;
            }

            for (var i = 0; i < fieldCount; i++)
            {
                body.TryReadUInt16(out var type);
                body.TryReadUInt16(out var length);
                _fieldScratch[i] = new TemplateField(type, length, 0);
            }

            tally.Templates++;
            Statistics.TemplateRecords++;
            var key = new TemplateKey(ctx.Exporter, NetFlowVersion.V9, ctx.Domain, templateId);
            RegisterTemplate(key, isOptions: true, scopeCount, _fieldScratch.AsSpan(0, fieldCount), ref ctx, ref tally, ref sink);

            // RFC 3954 §6.1: padding to a 4-byte boundary follows each options template record.
            if (body.Remaining < 6 || body.RemainingIsZero())
            {
                return;
            }
        }
    }

    private void RejectTemplate(ref DatagramTally tally)
    {
        Statistics.TemplatesRejected++;
        MalformedSet(ref tally, DecodeStatus.InvalidTemplate);
    }

    /// <summary>A set (or the rest of a set) that cannot be read is skipped, counted as undecodable.</summary>
    private void MalformedSet(ref DatagramTally tally, DecodeStatus why)
    {
        Statistics.MalformedSets++;
        tally.Skip(why);
    }
}
