namespace ReportJob.NetFlow.Decoding;

/// <summary>Limits and policies of a <see cref="FlowDecoder"/> session.</summary>
public sealed class FlowDecoderOptions
{
    /// <summary>
    /// Most fields a template may declare. The field count is 16 bits (RFC 3954 §5.2, RFC 7011 §3.4.1), but a template
    /// of thousands of fields describes no real record: it is a bug or an attack, and would cost memory per template.
    /// </summary>
    public int MaxTemplateFields { get; init; } = 512;

    /// <summary>Most templates kept per decoder; new ones beyond it are rejected and counted.</summary>
    public int MaxTemplates { get; init; } = 65_536;

    /// <summary>Most pending data sets kept per template key while waiting for the template (RFC 3954 §9).</summary>
    public int MaxPendingSetsPerTemplate { get; init; } = 32;

    /// <summary>Most bytes of pending data sets kept in all.</summary>
    public int MaxPendingBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Templates unused and unrefreshed for this long (by the exporter's own export time) are dropped.
    /// <see cref="TimeSpan.Zero"/> keeps them forever. Default 4 h: generous, many times any refresh interval.
    /// </summary>
    public TimeSpan TemplateIdleTimeout { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Clear an exporter's templates and options state when its sysUptime or sequence shows a restart.</summary>
    public bool ClearTemplatesOnExporterRestart { get; init; } = true;

    /// <summary>A sequence number this far behind the expected one is reordering, further is a reset.</summary>
    public uint SequenceReorderWindow { get; init; } = 10_000;

    /// <summary>Operator override of the sampling interval per exporter (wins over anything exported).</summary>
    public IReadOnlyDictionary<FlowAddress, uint>? SamplingOverrides { get; init; }
}
