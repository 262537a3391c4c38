namespace ReportJob.NetFlow;

/// <summary>
/// One host's traffic over a window (sampling applied): bytes and flows to it (in) and from it (out), and the
/// service ports of its flows as a source, busiest first (the services it used, e.g. tcp/443).
/// </summary>
public sealed record HostTraffic(string Address, long BytesIn, long BytesOut, long FlowsIn, long FlowsOut, IReadOnlyList<string> ServicePorts);
