namespace ReportJob.NetFlow;

/// <summary>What <c>reportjob flows summary</c> shows: totals, per exporter, first and last bucket, quality.</summary>
public sealed record FlowSummary(
    DateTime? FirstBucketUtc,
    DateTime? LastBucketUtc,
    FlowExporterTotal Total,
    IReadOnlyList<FlowExporterTotal> Exporters,
    FlowQualityTotal Quality);
