namespace ReportJob.Snapshots;

/// <summary>Connections in one TCP state: the most in one round, the mean per round, and its share of all connections.</summary>
public sealed record StateLoad(string State, int Connections, double Average, double Percent);
