namespace ReportJob.Reports.Charts;

/// <summary>A named series of values, one per category (bar charts) or per time point (time series).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);
