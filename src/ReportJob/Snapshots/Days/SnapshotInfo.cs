namespace ReportJob.Snapshots;

/// <summary>A snapshot row of the day: ok ones carry connections, failed ones an error.</summary>
public sealed record SnapshotInfo(long Id, string Server, DateTime TakenAtUtc, bool Ok, string? Error);
