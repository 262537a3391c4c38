namespace ReportJob.Snapshots;

/// <summary>A stored connection with its snapshot's server and time, as the queries and the CSV export read it.</summary>
public sealed record StoredConnection(
    string Server,
    DateTime TakenAtUtc,
    string LocalAddress,
    int LocalPort,
    string RemoteAddress,
    int RemotePort,
    string State,
    DateTime? CreatedAtUtc,
    DateTime FirstSeenUtc);
