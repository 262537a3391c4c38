namespace ReportJob.Snapshots;

/// <summary>What a source read: the rows it understood and what it had to leave out.</summary>
public sealed record TcpTable(IReadOnlyList<TcpConnection> Connections, TcpTableParseReport Report);
