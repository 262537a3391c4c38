namespace ReportJob.Snapshots;

/// <summary>A server that did not answer: kept so that the report can say which data is missing and why.</summary>
public sealed record SnapshotFailure(string Server, string Source, DateTime AttemptedAtUtc, string Error, TimeSpan Duration);
