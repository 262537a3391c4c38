namespace ReportJob.Snapshots;

/// <summary>
/// Connections of one server: the most in one snapshot, the mean over its snapshots, and the mean per snapshot of
/// each state (for one round these are simply its counts).
/// </summary>
public sealed record ServerLoad(string Server, int Snapshots, int Connections, double Average, IReadOnlyList<KeyValuePair<string, double>> States);
