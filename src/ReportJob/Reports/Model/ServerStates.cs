namespace ReportJob.Reports.Model;

/// <summary>Average number of connections per state in one server's snapshots.</summary>
public sealed record ServerStates(string Server, IReadOnlyDictionary<string, double> AveragePerState);
