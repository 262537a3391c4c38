namespace ReportJob.NetFlow.Decoding;

/// <summary>One UDP payload read from a capture (the payload is valid until the reader's next call).</summary>
/// <param name="Exporter">IP source address of the datagram (the exporter).</param>
/// <param name="Destination">IP destination address (the collector).</param>
/// <param name="SourcePort">UDP source port.</param>
/// <param name="DestinationPort">UDP destination port.</param>
/// <param name="TimestampUtc">Capture time; default for raw .dat files, which have none.</param>
/// <param name="FileOffset">Byte offset of the frame/record in the file, for error messages.</param>
/// <param name="Payload">The UDP payload (a NetFlow/IPFIX message).</param>
public readonly record struct ExportDatagram(
    FlowAddress Exporter,
    FlowAddress Destination,
    ushort SourcePort,
    ushort DestinationPort,
    DateTime TimestampUtc,
    long FileOffset,
    ReadOnlyMemory<byte> Payload);
