namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_quality</c>: one file and (exporter, version, observation domain).</summary>
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
    long SkippedFlows);
