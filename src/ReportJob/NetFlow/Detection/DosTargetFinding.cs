namespace ReportJob.NetFlow;

/// <summary>
/// A destination of probe-shaped flows (tiny, or TCP SYN without ACK) from at least <see cref="DosOptions.MinSources"/>
/// distinct sources or with at least <see cref="DosOptions.MinPackets"/> packets in the window; the peak rate is the
/// highest of its stored pieces (an hour of a file): their packets over the time their flows span (at least a second).
/// </summary>
public sealed record DosTargetFinding(
    string Destination, int DistinctSources, long Flows, long Packets, double PeakPacketsPerSecond, DateTime FirstSeenUtc, DateTime LastSeenUtc,
    IReadOnlyList<string> TopSources)
{
    /// <summary>"sources 198.51.100.7 203.0.113.9 …": the busiest sources, with an ellipsis when there are more.</summary>
    public string Evidence() => TopSources.Count == 0 ? "" : "sources " + string.Join(' ', TopSources) + (DistinctSources > TopSources.Count ? " …" : "");
}
