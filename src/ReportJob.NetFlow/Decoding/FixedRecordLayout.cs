namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// A fixed-length template's field plan resolved once into one slot per <see cref="FlowRecord"/> value,
/// so data records are decoded by stride with straight-line reads instead of a per-field dispatch.
/// The resolution mirrors <see cref="RecordBuilder.Apply"/> applied in template order: the last field of
/// a kind wins, and the highest-ranked byte/packet counter wins (IE 1 over 23 over 85).
/// </summary>
internal sealed class FixedRecordLayout
{
    private FixedRecordLayout()
    {
    }

    /// <summary>The template's record length: every slot lies inside it.</summary>
    public int RecordLength { get; private init; }

    public FieldSlot Source { get; private set; }

    public FieldSlot Destination { get; private set; }

    public FieldSlot NextHop { get; private set; }

    public FieldSlot SourcePort { get; private set; }

    public FieldSlot DestinationPort { get; private set; }

    public FieldSlot Protocol { get; private set; }

    public FieldSlot TcpFlags { get; private set; }

    public FieldSlot Tos { get; private set; }

    public FieldSlot Bytes { get; private set; }

    public FieldSlot Packets { get; private set; }

    public FieldSlot InputInterface { get; private set; }

    public FieldSlot OutputInterface { get; private set; }

    public FieldSlot SourceAs { get; private set; }

    public FieldSlot DestinationAs { get; private set; }

    public FieldSlot SourceMask { get; private set; }

    public FieldSlot DestinationMask { get; private set; }

    public FieldSlot FlowCount { get; private set; }

    /// <summary>The last byte of the last non-empty direction field (an empty one changes nothing).</summary>
    public FieldSlot Direction { get; private set; }

    public bool HasDirection { get; private set; }

    /// <summary>The last start-time field and its encoding (<see cref="FieldKind.Skip"/> = none).</summary>
    public FieldSlot Start { get; private set; }

    public FieldKind StartKind { get; private set; }

    public FieldSlot End { get; private set; }

    public FieldKind EndKind { get; private set; }

    public FieldSlot SamplerId { get; private set; }

    public FieldSlot SamplingInterval { get; private set; }

    public FieldSlot SamplingPacketInterval { get; private set; }

    public FieldSlot SamplingPacketSpace { get; private set; }

    public FieldSlot SamplingSize { get; private set; }

    public FieldSlot SamplingPopulation { get; private set; }

    public bool HasSamplerId { get; private set; }

    /// <summary>True when the record carries sampling fields, so its rate must be resolved per record.</summary>
    public bool HasRecordSampling { get; private set; }

    /// <summary>
    /// True when the template has a next hop, AS number, prefix length or flow count: fields routers
    /// export and host probes (softflowd) do not, so the loop reads them only when present.
    /// </summary>
    public bool HasRouterFields { get; private set; }

    /// <summary>
    /// Resolves a fixed template's plan, or returns null when the result depends on the values: a
    /// repeated address kind (Procera sends IPv4 and IPv6 fields, and a zero address never overwrites a
    /// real one), which the general plan handles; so do records shorter than one 8-byte load.
    /// </summary>
    public static FixedRecordLayout? TryCreate(ReadOnlySpan<FieldOp> plan, int recordLength)
    {
        if (recordLength < FieldSlot.WordLength)
        {
            return null;
        }

        var layout = new FixedRecordLayout { RecordLength = recordLength };
        byte bytesRank = 0, packetsRank = 0;
        bool source = false, destination = false, nextHop = false;
        foreach (var op in plan)
        {
            if (op.Offset + op.Length > recordLength)
            {
                // FieldSlot reads rely on every slot lying inside the record (a template over 64 KiB,
                // whose offsets saturate, is rejected before use anyway).
                return null;
            }

            var slot = new FieldSlot(op.Offset, op.Length, recordLength);
            switch (op.Kind)
            {
                case FieldKind.SourceAddress:
                    if (source)
                    {
                        return null;
                    }

                    source = true;
                    layout.Source = slot;
                    break;
                case FieldKind.DestinationAddress:
                    if (destination)
                    {
                        return null;
                    }

                    destination = true;
                    layout.Destination = slot;
                    break;
                case FieldKind.NextHop:
                    if (nextHop)
                    {
                        return null;
                    }

                    nextHop = true;
                    layout.NextHop = slot;
                    layout.HasRouterFields = true;
                    break;
                case FieldKind.SourcePort:
                    layout.SourcePort = slot;
                    break;
                case FieldKind.DestinationPort:
                    layout.DestinationPort = slot;
                    break;
                case FieldKind.Protocol:
                    layout.Protocol = slot;
                    break;
                case FieldKind.TcpFlags:
                    layout.TcpFlags = slot;
                    break;
                case FieldKind.Tos:
                    layout.Tos = slot;
                    break;
                case FieldKind.Bytes or FieldKind.BytesFallback or FieldKind.BytesTotal:
                    var bytes = Rank(op.Kind);
                    if (bytes >= bytesRank)
                    {
                        layout.Bytes = slot;
                        bytesRank = bytes;
                    }

                    break;
                case FieldKind.Packets or FieldKind.PacketsFallback or FieldKind.PacketsTotal:
                    var packets = Rank(op.Kind);
                    if (packets >= packetsRank)
                    {
                        layout.Packets = slot;
                        packetsRank = packets;
                    }

                    break;
                case FieldKind.InputInterface:
                    layout.InputInterface = slot;
                    break;
                case FieldKind.OutputInterface:
                    layout.OutputInterface = slot;
                    break;
                case FieldKind.Direction:
                    if (op.Length > 0)
                    {
                        layout.Direction = new FieldSlot(op.Offset + op.Length - 1, 1, recordLength);
                        layout.HasDirection = true;
                    }

                    break;
                case FieldKind.SourceAs:
                    layout.SourceAs = slot;
                    layout.HasRouterFields = true;
                    break;
                case FieldKind.DestinationAs:
                    layout.DestinationAs = slot;
                    layout.HasRouterFields = true;
                    break;
                case FieldKind.SourceMask:
                    layout.SourceMask = slot;
                    layout.HasRouterFields = true;
                    break;
                case FieldKind.DestinationMask:
                    layout.DestinationMask = slot;
                    layout.HasRouterFields = true;
                    break;
                case FieldKind.FirstUptime or FieldKind.StartSeconds or FieldKind.StartMilliseconds
                    or FieldKind.StartNtp or FieldKind.StartDeltaMicroseconds:
                    layout.Start = slot;
                    layout.StartKind = op.Kind;
                    break;
                case FieldKind.LastUptime or FieldKind.EndSeconds or FieldKind.EndMilliseconds
                    or FieldKind.EndNtp or FieldKind.EndDeltaMicroseconds:
                    layout.End = slot;
                    layout.EndKind = op.Kind;
                    break;
                case FieldKind.SamplerId:
                    layout.SamplerId = slot;
                    layout.HasSamplerId = true;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.SamplingInterval:
                    layout.SamplingInterval = slot;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.SamplingPacketInterval:
                    layout.SamplingPacketInterval = slot;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.SamplingPacketSpace:
                    layout.SamplingPacketSpace = slot;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.SamplingSize:
                    layout.SamplingSize = slot;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.SamplingPopulation:
                    layout.SamplingPopulation = slot;
                    layout.HasRecordSampling = true;
                    break;
                case FieldKind.FlowCount:
                    layout.FlowCount = slot;
                    layout.HasRouterFields = true;
                    break;
                default:
                    // Skip and SystemInitTime (options data only) change nothing in a flow record.
                    break;
            }
        }

        return layout;
    }

    private static byte Rank(FieldKind kind) => kind switch
    {
        FieldKind.Bytes or FieldKind.Packets => 3,
        FieldKind.BytesFallback or FieldKind.PacketsFallback => 2,
        _ => 1,
    };
}
