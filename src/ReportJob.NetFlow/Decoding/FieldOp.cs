namespace ReportJob.NetFlow.Decoding;

/// <summary>One step of a template's precompiled field plan.</summary>
internal readonly record struct FieldOp(FieldKind Kind, ushort Offset, ushort Length);
