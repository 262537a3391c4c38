namespace ReportJob.Snapshots;

/// <summary>
/// What a snapshot keeps: connections on the configured local ports, no listeners, no remote port 0
/// (half-open or bound sockets), loopback only when configured.
/// </summary>
public sealed class ConnectionFilter(IReadOnlyCollection<int> localPorts, bool includeLoopback)
{
    private readonly HashSet<int> _ports = [.. localPorts];

    public static ConnectionFilter From(SnapshotsOptions options) => new(options.LocalPorts, options.IncludeLoopback);

    public bool Keep(in TcpConnection c) =>
        c.State is not (TcpState.Listen or TcpState.Bound)
        && c.RemotePort != 0
        && (_ports.Count == 0 || _ports.Contains(c.LocalPort))
        && (includeLoopback || !c.IsLoopback);
}
