namespace ReportJob.Reports.Model;

/// <summary>Connections of one server at each round of the day (aligned with <see cref="ConnectionSection.RoundTimes"/>; NaN when missed).</summary>
public sealed record ServerSeries(string Server, IReadOnlyList<double> Connections);
