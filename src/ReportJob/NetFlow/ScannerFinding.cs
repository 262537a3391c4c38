namespace ReportJob.NetFlow;

/// <summary>A source over the thresholds, with evidence: distinct ports and hosts touched with tiny flows, and the busiest of them.</summary>
public sealed record ScannerFinding(
    string Source,
    int DistinctPorts,
    int DistinctHosts,
    long Flows,
    DateTime FirstSeenUtc,
    DateTime LastSeenUtc,
    IReadOnlyList<string> TopPorts,
    IReadOnlyList<string> TopHosts);
