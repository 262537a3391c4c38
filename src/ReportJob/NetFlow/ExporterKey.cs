namespace ReportJob.NetFlow;

/// <summary>An exporter in one bucket (bucket = start ticks, UTC).</summary>
internal readonly record struct ExporterKey(long Bucket, FlowAddress Exporter);
