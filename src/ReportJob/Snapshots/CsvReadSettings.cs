namespace ReportJob.Snapshots;

/// <summary>
/// How to read one CSV file: the server its rows belong to when the file has no PSComputerName/ComputerName column,
/// the time zone its local times are in, the filter, and the local port to store when the file has no LocalPort
/// column (the script already selected <c>-LocalPort 443</c>).
/// </summary>
public sealed record CsvReadSettings(string? DefaultServer, TimeZoneInfo TimeZone, ConnectionFilter Filter, ConnectionFilter FilterWithoutPort, int AssumedLocalPort)
{
    public static CsvReadSettings From(SnapshotsOptions options, string? defaultServer, TimeZoneInfo timeZone) =>
        new(defaultServer, timeZone, ConnectionFilter.From(options), new ConnectionFilter([], options.IncludeLoopback), options.LocalPorts.Count > 0 ? options.LocalPorts[0] : 0);
}
