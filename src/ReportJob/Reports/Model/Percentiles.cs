namespace ReportJob.Reports.Model;

public sealed record Percentiles(double P50, double P90, double P99, double Max);
