namespace ReportJob.NetFlow;

/// <summary>A source over the thresholds, with evidence: distinct ports and hosts touched with probe-shaped flows (tiny, or TCP SYN without ACK), and the busiest of them.</summary>
public sealed record ScannerFinding(
    string Source,
    int DistinctPorts,
    int DistinctHosts,
    long Flows,
    DateTime FirstSeenUtc,
    DateTime LastSeenUtc,
    IReadOnlyList<string> TopPorts,
    IReadOnlyList<string> TopHosts)
{
    /// <summary>"ports tcp/1 tcp/2 …; hosts 10.0.0.1 …": the busiest targets, with an ellipsis when there are more.</summary>
    public string Evidence() =>
        (TopPorts.Count > 0 ? "ports " + string.Join(' ', TopPorts) + (DistinctPorts > TopPorts.Count ? " …" : "") : "")
        + (TopPorts.Count > 0 && TopHosts.Count > 0 ? "; " : "")
        + (TopHosts.Count > 0 ? "hosts " + string.Join(' ', TopHosts) + (DistinctHosts > TopHosts.Count ? " …" : "") : "");
}
