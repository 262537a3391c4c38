namespace ReportJob.NetFlow;

/// <summary>Loss and sampling over a window, from the files whose exports overlap it.</summary>
public sealed record FlowQualityTotal(long Files, long FlowRecords, long SequenceLost, long MissingTemplateSets, long UndecodableSets, IReadOnlyList<string> SamplingNotes);
