using System.Net;

namespace ReportJob.Snapshots;

/// <summary>
/// How to read one CSV file: whose rows are when the file has no PSComputerName/ComputerName column, the time zone its
/// local times are in, the filter, and the local port to store when the file has no LocalPort column (the script already
/// selected port 443).
/// </summary>
/// <param name="DefaultServer">The server of a file of one local address (a drop folder's server, or <c>--server</c>).</param>
/// <param name="SplitByLocalAddress">
/// True: a file of several local addresses holds several servers, one per LocalAddress (named through
/// <paramref name="Addresses"/>). False: every row is <paramref name="DefaultServer"/>'s.
/// </param>
/// <param name="Addresses">The configured servers' addresses (<c>Snapshots:Servers:N:Addresses</c>), IPv4-mapped given as IPv4.</param>
public sealed record CsvReadSettings(
    string? DefaultServer,
    bool SplitByLocalAddress,
    IReadOnlyDictionary<IPAddress, string> Addresses,
    TimeZoneInfo TimeZone,
    ConnectionFilter Filter,
    ConnectionFilter FilterWithoutPort,
    int AssumedLocalPort)
{
    public static CsvReadSettings From(SnapshotsOptions options, CsvImportTarget target) =>
        new(target.Server, target.SplitByLocalAddress, options.ServerAddresses(), target.TimeZone, ConnectionFilter.From(options),
            new ConnectionFilter([], options.IncludeLoopback), options.LocalPorts.Count > 0 ? options.LocalPorts[0] : 0);
}
