namespace ReportJob.NetFlow;

/// <summary>Bytes of one exporter per bucket start (UTC), only buckets with traffic.</summary>
public sealed record ExporterSeries(string Exporter, IReadOnlyDictionary<DateTime, long> BytesPerBucket);
