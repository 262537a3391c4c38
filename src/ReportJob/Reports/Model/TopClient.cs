namespace ReportJob.Reports.Model;

/// <summary>
/// A client by its peak connections (the most it held at once, all servers together). <see cref="Protocols"/>,
/// <see cref="UserAgents"/> and <see cref="Users"/> come from IIS logs when they were imported, empty otherwise.
/// </summary>
public sealed record TopClient(
    string Address,
    string? DnsName,
    string Site,
    long PeakConnections,
    double AverageConnections,
    int Servers,
    DateTime FirstSeenLocal,
    DateTime LastSeenLocal,
    IReadOnlyList<string> Protocols,
    IReadOnlyList<string> UserAgents,
    IReadOnlyList<string> Users);
