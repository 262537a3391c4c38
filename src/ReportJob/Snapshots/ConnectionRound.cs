namespace ReportJob.Snapshots;

/// <summary>
/// One collection run across the servers: at most one snapshot per server, all taken within
/// <see cref="ConnectionQueries.RoundWindow"/> of <see cref="StartUtc"/>, the first of them.
/// </summary>
public sealed record ConnectionRound(DateTime StartUtc, IReadOnlyList<long> SnapshotIds, IReadOnlyList<string> Servers);
