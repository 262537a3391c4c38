namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// One options data record (metadata: sampler table, interface names, exporter statistics…),
/// never a traffic flow. Its fields are readable through the <see cref="FlowFields"/> passed with it.
/// </summary>
public readonly record struct OptionsRecord
{
    /// <summary>The exporter.</summary>
    public FlowAddress Exporter { get; init; }

    /// <summary>Export protocol version.</summary>
    public NetFlowVersion Version { get; init; }

    /// <summary>Source ID / Observation Domain ID.</summary>
    public uint ObservationDomain { get; init; }

    /// <summary>The options template id.</summary>
    public ushort TemplateId { get; init; }

    /// <summary>Export time of the carrying packet (UTC).</summary>
    public DateTime ExportTimeUtc { get; init; }

    /// <summary>Number of leading scope fields in the template.</summary>
    public int ScopeFieldCount { get; init; }
}
