using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    private const int IpfixHeaderLength = 16;

    private void DecodeIpfix<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, DateTime receivedUtc, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var rest = datagram;

        // RFC 7011 §10.3.3: one message per datagram. The header length rules; anything after it (a sloppy
        // exporter, or a .dat file of concatenated messages passed whole) is counted, not decoded, exactly as for
        // v5's count. CaptureReader splits such files into their messages.
        DecodeIpfixMessage(exporter, ref rest, receivedUtc, ref tally, ref sink);
        if (rest.Length > 0 && rest.ContainsAnyExcept((byte)0))
        {
            tally.Deviations |= ExportDeviations.TrailingBytes;
        }
    }

    private void DecodeIpfixMessage<TSink>(FlowAddress exporter, ref ReadOnlySpan<byte> rest, DateTime receivedUtc, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        Statistics.IpfixMessages++;
        if (rest.Length < IpfixHeaderLength)
        {
            tally.Skip(DecodeStatus.TooShort);
            rest = default;
            return;
        }

        // RFC 7011 §3.1: version, length, export time, sequence number, observation domain id.
        var length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(rest[4..]);
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(rest[8..]);
        var domain = BinaryPrimitives.ReadUInt32BigEndian(rest[12..]);
        if (length < IpfixHeaderLength)
        {
            MalformedSet(ref tally, DecodeStatus.MalformedSet);
            rest = default;
            return;
        }

        ReadOnlySpan<byte> message;
        if (length > rest.Length)
        {
            // What is there is decoded; the set cut short is counted where the walk meets it.
            tally.Status |= DecodeStatus.Truncated;
            message = rest;
            rest = default;
        }
        else
        {
            message = rest[..length];
            rest = rest[length..];
        }

        var domainKey = new DomainKey(exporter, NetFlowVersion.Ipfix, domain);
        var state = GetDomain(domainKey);
        var outcome = CheckSequence(state, sequence, ref tally);
        if (outcome == SequenceOutcome.Reset && _options.ClearTemplatesOnExporterRestart
            && (int)(seconds - state.LastExportSeconds) >= 0)
        {
            // IPFIX has no sysUptime: a sequence far behind the expected one with a clock that did not go back
            // means the exporting process restarted, and its templates are gone with it (RFC 7011 §8: templates
            // live as long as the transport session; over UDP, until they time out, §8.4).
            ResetDomain(domainKey, state, ref tally, ref sink);
            tally.Status |= DecodeStatus.ExporterReset;
        }

        if ((int)(seconds - state.LastExportSeconds) >= 0)
        {
            state.LastExportSeconds = seconds;
        }

        var ctx = new PacketContext
        {
            Exporter = exporter,
            Version = NetFlowVersion.Ipfix,
            Domain = domain,
            ExportSeconds = seconds,
            ExportTicks = ExportTicks(seconds, 0, receivedUtc, ref tally),
            SamplingOverride = SamplingOverride(exporter),
            State = state,
        };

        var (flowsBefore, optionsBefore) = (tally.Flows, tally.Options);
        var reader = new NetFlowReader(message[IpfixHeaderLength..]);
        WalkSets(ref reader, ref ctx, ref tally, ref sink);

        // RFC 7011 §3.1: the sequence counts data records (options data included), not templates.
        // When a set was pended its record count is unknown, so tracking restarts at the next message.
        if (tally.Pended)
        {
            state.SequenceKnown = false;
        }
        else if (outcome != SequenceOutcome.Late)
        {
            state.ExpectedSequence = sequence + (uint)(tally.Flows - flowsBefore + tally.Options - optionsBefore);
            state.SequenceKnown = true;
        }
    }

    private void ReadIpfixTemplates<TSink>(ref NetFlowReader body, ref PacketContext ctx, bool isOptions, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        // RFC 7011 §3.4.1 (template record) and §3.4.2.2 (options template record: + scope field count).
        while (body.Remaining >= 4)
        {
            var start = body;
            body.TryReadUInt16(out var templateId);
            body.TryReadUInt16(out var fieldCount);
            if (templateId == 0 && fieldCount == 0 && start.RemainingIsZero())
            {
                return;
            }

            if (fieldCount == 0)
            {
                // RFC 7011 §8.1: a withdrawal; id 2 (or 3) withdraws every template of that set type.
                tally.Templates++;
                Statistics.TemplateRecords++;
                Withdraw(ctx.Exporter, ctx.Domain, templateId, isOptions, ref sink);
                continue;
            }

            ushort scopeCount = 0;
            if (isOptions && !body.TryReadUInt16(out scopeCount))
            {
                RejectTemplate(ref tally);
                return;
            }

            if (templateId < 256 || fieldCount > _fieldScratch.Length || scopeCount > fieldCount || body.Remaining < fieldCount * 4)
            {
                RejectTemplate(ref tally);
                return;
            }

            for (var i = 0; i < fieldCount; i++)
            {
                if (!body.TryReadUInt16(out var id) || !body.TryReadUInt16(out var length))
                {
                    RejectTemplate(ref tally);
                    return;
                }

                uint enterprise = 0;
                if ((id & 0x8000) != 0)
                {
                    // RFC 7011 §3.2: enterprise bit set → a 4-byte Private Enterprise Number follows.
                    if (!body.TryReadUInt32(out enterprise))
                    {
                        RejectTemplate(ref tally);
                        return;
                    }

                    id &= 0x7FFF;
                }

                _fieldScratch[i] = new TemplateField(id, length, enterprise);
            }

            tally.Templates++;
            Statistics.TemplateRecords++;
            var key = new TemplateKey(ctx.Exporter, NetFlowVersion.Ipfix, ctx.Domain, templateId);
            RegisterTemplate(key, isOptions, scopeCount, _fieldScratch.AsSpan(0, fieldCount), ref ctx, ref tally, ref sink);
        }
    }
}
