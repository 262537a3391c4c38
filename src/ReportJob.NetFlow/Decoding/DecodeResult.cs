namespace ReportJob.NetFlow.Decoding;

/// <summary>The outcome of decoding one datagram (data, not an exception): what it delivered, met and lost.</summary>
/// <param name="Status">Problems met, <see cref="DecodeStatus.Ok"/> when none.</param>
/// <param name="Version">The header's version (0 when unknown).</param>
/// <param name="FlowRecords">Flow records passed to the sink (including pending sets decoded now).</param>
/// <param name="OptionsRecords">Options data records passed to the sink.</param>
/// <param name="TemplateRecords">Template and options template records read.</param>
public readonly record struct DecodeResult(DecodeStatus Status, NetFlowVersion Version, int FlowRecords, int OptionsRecords, int TemplateRecords)
{
    /// <summary>True when <see cref="Status"/> is <see cref="DecodeStatus.Ok"/>.</summary>
    public bool IsOk => Status == DecodeStatus.Ok;

    /// <summary>Deviations from the RFCs the datagram was decoded despite.</summary>
    public ExportDeviations Deviations { get; init; }

    /// <summary>Sequence gaps the datagram's header showed (0 or 1).</summary>
    public int SequenceGaps { get; init; }

    /// <summary>Units the gap says were lost (v5 flows, v9 export packets, IPFIX data records).</summary>
    public long SequenceLost { get; init; }

    /// <summary>Data sets waiting for their template that were let go while decoding it (buffer full, exporter restart).</summary>
    public int PendingSetsDropped { get; init; }

    /// <summary>Sets, templates or whole datagrams that could not be read and were skipped.</summary>
    public int UndecodableSets { get; init; }
}
