namespace ReportJob.NetFlow.Decoding;

/// <summary>The outcome of decoding one datagram (data, not an exception).</summary>
/// <param name="Status">Problems met, <see cref="DecodeStatus.Ok"/> when none.</param>
/// <param name="Version">The header's version (0 when unknown).</param>
/// <param name="FlowRecords">Flow records passed to the sink (including pending sets decoded now).</param>
/// <param name="OptionsRecords">Options data records passed to the sink.</param>
/// <param name="TemplateRecords">Template and options template records read.</param>
public readonly record struct DecodeResult(DecodeStatus Status, NetFlowVersion Version, int FlowRecords, int OptionsRecords, int TemplateRecords)
{
    /// <summary>True when <see cref="Status"/> is <see cref="DecodeStatus.Ok"/>.</summary>
    public bool IsOk => Status == DecodeStatus.Ok;
}
