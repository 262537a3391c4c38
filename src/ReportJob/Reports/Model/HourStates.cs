namespace ReportJob.Reports.Model;

/// <summary>Average connections per state (all servers) in the snapshots of one local hour.</summary>
public sealed record HourStates(int Hour, IReadOnlyDictionary<string, double> AveragePerState);
