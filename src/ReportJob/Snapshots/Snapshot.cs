namespace ReportJob.Snapshots;

/// <summary>The connection table of one server at one moment (already filtered).</summary>
public sealed record Snapshot(string Server, string Source, DateTime TakenAtUtc, IReadOnlyList<TcpConnection> Connections, TimeSpan Duration);
