namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// One decoded traffic flow record (v5 record, or a v9/IPFIX data record of a non-options template).
/// Counters are raw (unscaled); <see cref="SamplingInterval"/> tells how to renormalise them.
/// </summary>
public readonly record struct FlowRecord
{
    /// <summary>The exporter (UDP source address unless the caller chose otherwise).</summary>
    public FlowAddress Exporter { get; init; }

    /// <summary>Export protocol version.</summary>
    public NetFlowVersion Version { get; init; }

    /// <summary>v9 Source ID, IPFIX Observation Domain ID, or v5 (engine_type &lt;&lt; 8 | engine_id).</summary>
    public uint ObservationDomain { get; init; }

    /// <summary>The data template id (0 for v5).</summary>
    public ushort TemplateId { get; init; }

    /// <summary>Export time of the carrying packet (UTC).</summary>
    public DateTime ExportTimeUtc { get; init; }

    /// <summary>Flow start (UTC); the export time when the record carries no usable start time.</summary>
    public DateTime StartUtc { get; init; }

    /// <summary>Flow end (UTC); the export time when the record carries no usable end time.</summary>
    public DateTime EndUtc { get; init; }

    /// <summary>Source address (IE 8 or 27).</summary>
    public FlowAddress SourceAddress { get; init; }

    /// <summary>Destination address (IE 12 or 28).</summary>
    public FlowAddress DestinationAddress { get; init; }

    /// <summary>Next hop (IE 15 or 62).</summary>
    public FlowAddress NextHop { get; init; }

    /// <summary>Transport source port (IE 7).</summary>
    public ushort SourcePort { get; init; }

    /// <summary>Transport destination port (IE 11).</summary>
    public ushort DestinationPort { get; init; }

    /// <summary>IP protocol number (IE 4).</summary>
    public byte Protocol { get; init; }

    /// <summary>TCP flags (IE 6; 16 bits in IPFIX).</summary>
    public ushort TcpFlags { get; init; }

    /// <summary>IP type of service / traffic class (IE 5).</summary>
    public byte Tos { get; init; }

    /// <summary>Bytes (IE 1; falls back to 23 then 85 when absent), unscaled.</summary>
    public ulong Bytes { get; init; }

    /// <summary>Packets (IE 2; falls back to 24 then 86 when absent), unscaled.</summary>
    public ulong Packets { get; init; }

    /// <summary>Input interface index (IE 10).</summary>
    public uint InputInterface { get; init; }

    /// <summary>Output interface index (IE 14).</summary>
    public uint OutputInterface { get; init; }

    /// <summary>Direction (IE 61); <see cref="FlowDirection.Unknown"/> when absent.</summary>
    public FlowDirection Direction { get; init; }

    /// <summary>Source AS (IE 16).</summary>
    public uint SourceAs { get; init; }

    /// <summary>Destination AS (IE 17).</summary>
    public uint DestinationAs { get; init; }

    /// <summary>Source prefix length (IE 9 or 29).</summary>
    public byte SourceMask { get; init; }

    /// <summary>Destination prefix length (IE 13 or 30).</summary>
    public byte DestinationMask { get; init; }

    /// <summary>
    /// Sampling interval in effect (1 = unsampled): from the record itself, the sampler id it names,
    /// the exporter's options data, or the v5 header, in that order.
    /// </summary>
    public uint SamplingInterval { get; init; }

    /// <summary>Flows represented (1, or IE 3 deltaFlowCount / FLOWS when present).</summary>
    public ulong FlowCount { get; init; }
}
