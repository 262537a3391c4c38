namespace ReportJob.NetFlow;

/// <summary>
/// A row of <c>flow_quality</c>: one file and (exporter, version, observation domain). The deviations count datagrams
/// decoded despite them (<see cref="ReportJob.NetFlow.Decoding.ExportDeviations"/>); <see cref="CaptureCutAt"/> is the
/// byte offset where the capture ended in the middle of a record (the same on every row of the file), else null.
/// </summary>
internal sealed record FlowQualityRow(
    string FileSha256,
    string FileName,
    string Exporter,
    int Version,
    long ObservationDomain,
    DateTime? FirstExport,
    DateTime? LastExport,
    long Datagrams,
    long FlowRecords,
    long OptionsRecords,
    long SequenceGaps,
    long SequenceLost,
    long MissingTemplateSets,
    long UndecodableSets,
    long SamplingMin,
    long SamplingMax,
    string DirectionPolicy,
    long SkippedFlows,
    long TrailingBytes,
    long ZeroExportTime,
    long ShortCounters,
    long UnpaddedSets,
    long? CaptureCutAt);
