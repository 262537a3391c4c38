namespace ReportJob.Snapshots;

/// <summary>The outcome of collecting one server: the stored (filtered) connections, or the error.</summary>
public sealed record ServerCollection(
    string Server,
    string Source,
    CollectionStatus Status,
    DateTime TakenAtUtc,
    TimeSpan Duration,
    IReadOnlyList<TcpConnection> Connections,
    string? Error,
    int MalformedLines = 0)
{
    public int Rows => Connections.Count;
}
