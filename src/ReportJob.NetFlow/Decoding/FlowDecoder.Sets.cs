using System.Runtime.CompilerServices;
using System.Text;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class FlowDecoder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DecodeDataSet<TSink>(ushort templateId, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var template = LookupTemplate(templateId, ref ctx, ref sink);
        if (template is null)
        {
            // RFC 3954 §9: data may precede its template, even in the same packet: keep it, bounded.
            var key = new TemplateKey(ctx.Exporter, ctx.Version, ctx.Domain, templateId);
            Statistics.DataSetsWithoutTemplate++;
            tally.Status |= DecodeStatus.MissingTemplate;
            tally.Pended = true;
            Pend(key, body, ref ctx, ref tally);
            return;
        }

        DecodeWithTemplate(template, body, ref ctx, ref tally, ref sink);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DecodeWithTemplate<TSink>(FlowTemplate template, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        if (template.HasShortCounters)
        {
            tally.Deviations |= ExportDeviations.ShortCounters;
        }

        if (template.IsOptionsTemplate)
        {
            DecodeOptionsSet(template, body, ref ctx, ref tally, ref sink);
        }
        else if (template.IsVariableLength)
        {
            DecodeVariableSet(template, body, ref ctx, ref tally, ref sink);
        }
        else if (template.Layout is { } layout && UseFixedLayouts)
        {
            DecodeFixedLayoutSet(template, layout, body, ref ctx, ref tally, ref sink);
        }
        else
        {
            DecodeFixedSet(template, body, ref ctx, ref tally, ref sink);
        }
    }

    /// <summary>
    /// The common case: a fixed-length flow template, decoded by stride with each value read from its
    /// precomputed slot. Per-set values (export time, uptime reference, sampling without per-record
    /// fields) are computed once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeFixedLayoutSet<TSink>(FlowTemplate template, FixedRecordLayout layout, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var recordLength = layout.RecordLength;
        var templateId = template.Key.TemplateId;
        var exporter = ctx.Exporter;
        var version = ctx.Version;
        var domain = ctx.Domain;
        var exportTicks = ctx.ExportTicks;
        var sysUptime = ctx.SysUptime;
        var exportTime = new DateTime(exportTicks, DateTimeKind.Utc);
        var setSampling = layout.HasRecordSampling ? 0 : RecordBuilder.ResolveSampling(0, false, 0, ref ctx);

        // v5/v9 uptime stamps (the usual encoding) are one multiply-add from the packet's header; IPFIX
        // uptimes and the absolute encodings take the general conversion.
        var startKind = layout.StartKind;
        var endKind = layout.EndKind;
        var startUptime = startKind == FieldKind.FirstUptime && version != NetFlowVersion.Ipfix;
        var endUptime = endKind == FieldKind.LastUptime && version != NetFlowVersion.Ipfix;
        var hasRouterFields = layout.HasRouterFields;

        // Both stamps present and valid whatever their values: no range check, no missing-time fallback.
        var uptimesAlwaysValid = startUptime && endUptime && RecordBuilder.UptimeAlwaysValid(exportTicks);
        var n = 0;

        // Leftover bytes shorter than one record are padding (RFC 3954 §5.3, RFC 7011 §3.3.1).
        for (var offset = 0; body.Length - offset >= recordLength; offset += recordLength)
        {
            // A checked slice of exactly RecordLength bytes: FieldSlot reads rely on it.
            var record = body.Slice(offset, recordLength);
            long start, end;
            if (uptimesAlwaysValid)
            {
                start = RecordBuilder.UptimeTicks((uint)layout.Start.ReadUnsigned(record), exportTicks, sysUptime);
                end = RecordBuilder.UptimeTicks((uint)layout.End.ReadUnsigned(record), exportTicks, sysUptime);
            }
            else
            {
                start = startUptime
                    ? RecordBuilder.FromSysUptime((uint)layout.Start.ReadUnsigned(record), exportTicks, sysUptime)
                    : startKind == FieldKind.Skip ? 0 : RecordBuilder.TimeTicks(startKind, layout.Start.Of(record), ref ctx);
                end = endUptime
                    ? RecordBuilder.FromSysUptime((uint)layout.End.ReadUnsigned(record), exportTicks, sysUptime)
                    : endKind == FieldKind.Skip ? 0 : RecordBuilder.TimeTicks(endKind, layout.End.Of(record), ref ctx);
                (start, end) = RecordBuilder.CompleteTimes(start, end, exportTicks);
            }

            var sampling = layout.HasRecordSampling ? RecordSampling(layout, record, ref ctx) : setSampling;
            FlowAddress nextHop = default;
            uint sourceAs = 0, destinationAs = 0;
            byte sourceMask = 0, destinationMask = 0;
            ulong flowCount = 0;
            if (hasRouterFields)
            {
                nextHop = layout.NextHop.ReadAddress(record);
                sourceAs = (uint)layout.SourceAs.ReadUnsigned(record);
                destinationAs = (uint)layout.DestinationAs.ReadUnsigned(record);
                sourceMask = (byte)layout.SourceMask.ReadUnsigned(record);
                destinationMask = (byte)layout.DestinationMask.ReadUnsigned(record);
                flowCount = layout.FlowCount.ReadUnsigned(record);
            }

            var direction = layout.HasDirection ? (byte)layout.Direction.ReadUnsigned(record) : (byte)FlowDirection.Unknown;
            var flow = new FlowRecord
            {
                Exporter = exporter,
                Version = version,
                ObservationDomain = domain,
                TemplateId = templateId,
                ExportTimeUtc = exportTime,
                StartUtc = new DateTime(start, DateTimeKind.Utc),
                EndUtc = new DateTime(end, DateTimeKind.Utc),
                SourceAddress = layout.Source.ReadAddress(record),
                DestinationAddress = layout.Destination.ReadAddress(record),
                NextHop = nextHop,
                SourcePort = (ushort)layout.SourcePort.ReadUnsigned(record),
                DestinationPort = (ushort)layout.DestinationPort.ReadUnsigned(record),
                Protocol = (byte)layout.Protocol.ReadUnsigned(record),
                TcpFlags = (ushort)layout.TcpFlags.ReadUnsigned(record),
                Tos = (byte)layout.Tos.ReadUnsigned(record),
                Bytes = layout.Bytes.ReadUnsigned(record),
                Packets = layout.Packets.ReadUnsigned(record),
                InputInterface = (uint)layout.InputInterface.ReadUnsigned(record),
                OutputInterface = (uint)layout.OutputInterface.ReadUnsigned(record),
                Direction = (FlowDirection)(direction <= 1 ? direction : (byte)FlowDirection.Unknown),
                SourceAs = sourceAs,
                DestinationAs = destinationAs,
                SourceMask = sourceMask,
                DestinationMask = destinationMask,
                SamplingInterval = sampling,
                FlowCount = flowCount == 0 ? 1 : flowCount,
            };
            sink.OnFlow(in flow, new FlowFields(template, record));
            n++;
        }

        tally.Flows += n;
        Statistics.FlowRecords += n;
    }

    private static uint RecordSampling(FixedRecordLayout layout, ReadOnlySpan<byte> record, ref PacketContext ctx)
    {
        var own = RecordBuilder.SamplingRate(
            layout.SamplingInterval.ReadUnsigned(record),
            layout.SamplingPacketInterval.ReadUnsigned(record),
            layout.SamplingPacketSpace.ReadUnsigned(record),
            layout.SamplingSize.ReadUnsigned(record),
            layout.SamplingPopulation.ReadUnsigned(record));
        return RecordBuilder.ResolveSampling(own, layout.HasSamplerId, layout.SamplerId.ReadUnsigned(record), ref ctx);
    }

    private void DecodeFixedSet<TSink>(FlowTemplate template, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var recordLength = template.MinimumRecordLength;
        var plan = template.Plan;
        var templateId = template.Key.TemplateId;
        var n = 0;

        // Leftover bytes shorter than one record are padding (RFC 3954 §5.3, RFC 7011 §3.3.1).
        while (body.Length >= recordLength)
        {
            var record = body[..recordLength];
            var b = default(RecordBuilder);
            b.Direction = (byte)FlowDirection.Unknown;
            foreach (var op in plan)
            {
                b.Apply(op.Kind, record.Slice(op.Offset, op.Length), ref ctx);
            }

            var flow = b.Build(ref ctx, templateId);
            sink.OnFlow(in flow, new FlowFields(template, record));
            body = body[recordLength..];
            n++;
        }

        tally.Flows += n;
        Statistics.FlowRecords += n;
    }

    private void DecodeVariableSet<TSink>(FlowTemplate template, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var plan = template.Plan;
        var templateId = template.Key.TemplateId;
        var n = 0;
        while (body.Length >= template.MinimumRecordLength && (body.Length >= 16 || body.ContainsAnyExcept((byte)0)))
        {
            var reader = new NetFlowReader(body);
            var b = default(RecordBuilder);
            b.Direction = (byte)FlowDirection.Unknown;
            var complete = true;
            foreach (var op in plan)
            {
                int length = op.Length;
                if (length == TemplateField.VariableLength && !TemplateDecoding.TryReadVariableLength(ref reader, out length))
                {
                    complete = false;
                    break;
                }

                if (!reader.TryReadBytes(length, out var value))
                {
                    complete = false;
                    break;
                }

                b.Apply(op.Kind, value, ref ctx);
            }

            if (!complete)
            {
                // Not a whole record: padding if short, otherwise a malformed tail (skipped with the set).
                if (body.Length >= 4)
                {
                    MalformedSet(ref tally, DecodeStatus.MalformedSet);
                }

                break;
            }

            var record = body[..reader.Position];
            var flow = b.Build(ref ctx, templateId);
            sink.OnFlow(in flow, new FlowFields(template, record));
            body = body[reader.Position..];
            n++;
        }

        tally.Flows += n;
        Statistics.FlowRecords += n;
    }

    private void DecodeOptionsSet<TSink>(FlowTemplate template, ReadOnlySpan<byte> body, ref PacketContext ctx, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        var n = 0;
        while (body.Length >= template.MinimumRecordLength && body.Length > 0)
        {
            var length = MeasureRecord(template, body);
            if (length <= 0)
            {
                break;
            }

            var fields = new FlowFields(template, body[..length]);
            var options = new OptionsRecord
            {
                Exporter = ctx.Exporter,
                Version = ctx.Version,
                ObservationDomain = ctx.Domain,
                TemplateId = template.Key.TemplateId,
                ExportTimeUtc = new DateTime(ctx.ExportTicks, DateTimeKind.Utc),
                ScopeFieldCount = template.ScopeFieldCount,
            };
            ApplyOptions(fields, ref ctx);
            sink.OnOptions(in options, fields);
            body = body[length..];
            n++;
        }

        tally.Options += n;
        Statistics.OptionsRecords += n;
    }

    private static int MeasureRecord(FlowTemplate template, ReadOnlySpan<byte> body)
    {
        if (!template.IsVariableLength)
        {
            return template.MinimumRecordLength <= body.Length ? template.MinimumRecordLength : -1;
        }

        var reader = new NetFlowReader(body);
        foreach (var f in template.Fields)
        {
            int length = f.Length;
            if (f.IsVariableLength && !TemplateDecoding.TryReadVariableLength(ref reader, out length))
            {
                return -1;
            }

            if (!reader.TrySkip(length))
            {
                return -1;
            }
        }

        return reader.Position;
    }

    /// <summary>
    /// Options data is metadata for the stream, not traffic (RFC 3954 §6.2, RFC 7011 §3.4.2.2: it describes the
    /// scope, e.g. the exporting process or an interface): systemInitTimeMilliseconds, the sampler table (v9
    /// 48/49/50 and 34/35, IPFIX 302/305/306/309/310) and interface names. It is stored per (exporter, version,
    /// domain) and never becomes a flow record.
    /// </summary>
    private static void ApplyOptions(FlowFields fields, ref PacketContext ctx)
    {
        var state = ctx.State;
        ulong samplerId = 0, interval = 0, packetInterval = 0, packetSpace = 0, size = 0, population = 0, interfaceIndex = 0;
        bool hasSampler = false, hasInterface = false;
        ReadOnlySpan<byte> interfaceName = default;
        foreach (var field in fields)
        {
            var spec = field.Specifier;
            if (spec.EnterpriseNumber != 0)
            {
                continue;
            }

            if (field.IsScope && ctx.Version == NetFlowVersion.V9)
            {
                // RFC 3954 §6.1 scope types: 1 System, 2 Interface, 3 Line Card, 4 Cache, 5 Template.
                if (spec.Id == 2)
                {
                    interfaceIndex = field.ToUInt64();
                    hasInterface = true;
                }

                continue;
            }

            switch (spec.Id)
            {
                case 10:
                    interfaceIndex = field.ToUInt64();
                    hasInterface = true;
                    break;
                case 82:
                    interfaceName = field.Value;
                    break;
                case 160:
                    state.SystemInitMilliseconds = (long)Math.Min(field.ToUInt64(), long.MaxValue);
                    break;
                case 48 or 302:
                    samplerId = field.ToUInt64();
                    hasSampler = true;
                    break;
                case 34 or 50:
                    interval = field.ToUInt64();
                    break;
                case 305:
                    packetInterval = field.ToUInt64();
                    break;
                case 306:
                    packetSpace = field.ToUInt64();
                    break;
                case 309:
                    size = field.ToUInt64();
                    break;
                case 310:
                    population = field.ToUInt64();
                    break;
                default:
                    break;
            }
        }

        var rate = RecordBuilder.SamplingRate(interval, packetInterval, packetSpace, size, population);
        if (rate > 0)
        {
            if (hasSampler)
            {
                state.Samplers ??= [];
                state.Samplers[samplerId] = rate;
            }
            else
            {
                state.DefaultSampling = rate;
            }
        }

        if (hasInterface && !interfaceName.IsEmpty)
        {
            // Exporters pad strings with NULs to the field's length (RFC 7011 §6.1.6 strings carry no terminator,
            // so the NULs are padding, not text).
            var end = interfaceName.IndexOf((byte)0);
            var text = Encoding.UTF8.GetString(end >= 0 ? interfaceName[..end] : interfaceName);
            state.InterfaceNames ??= [];
            if (state.InterfaceNames.Count < 65_536 || state.InterfaceNames.ContainsKey((uint)interfaceIndex))
            {
                state.InterfaceNames[(uint)interfaceIndex] = text;
            }
        }
    }
}
