namespace ReportJob.NetFlow.Decoding;

/// <summary>A template change reported to the sink.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Key">Which template.</param>
/// <param name="IsOptionsTemplate">True for an options template.</param>
/// <param name="FieldCount">Number of fields (0 for withdrawals and removals).</param>
public readonly record struct TemplateEvent(TemplateEventKind Kind, TemplateKey Key, bool IsOptionsTemplate, int FieldCount);
