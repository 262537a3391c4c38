namespace ReportJob.Reports.Model;

public sealed record HistogramBucket(string Label, long Low, long High, long Count);
