using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using ReportJob.Sites;

namespace ReportJob.Snapshots;

/// <summary>
/// The CSV files of the old PowerShell + Excel routine, one set per round, so that its Excel/Power BI sheets keep working:
/// <c>iisports-yyyyMMdd-HHmm.csv</c> (the connections), <c>…-groupbyremoteaddress.csv</c> (connections per client)
/// and <c>…-connectionbysite.csv</c> (clients and connections per client per subnet). Names and times are in the given
/// zone; dates are written as en-US Export-Csv writes them (<c>11/20/2026 8:05:00 AM</c>), numbers invariant. Files are
/// UTF-8 with a BOM (Excel then reads the encoding right), CRLF line ends, every field quoted.
/// </summary>
internal sealed class CsvExporter(ConnectionQueries queries, SiteStore siteStore, ILogger<CsvExporter> logger)
{
    public const string DateFormat = "M/d/yyyy h:mm:ss tt";

    private static readonly Encoding Utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public async Task<IReadOnlyList<string>> ExportAsync(IReadOnlyList<ConnectionRound> rounds, string outDirectory, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDirectory);
        var sites = await siteStore.LoadAsync(cancellationToken);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var round in rounds)
        {
            var connections = await queries.LoadRoundAsync(round, cancellationToken);
            var stem = "iisports-" + TimeZoneInfo.ConvertTimeFromUtc(round.StartUtc, zone).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
            // Two rounds in one minute (a server collected twice): keep both sets apart.
            var unique = stem;
            for (var i = 2; !used.Add(unique); i++)
            {
                unique = stem + "-" + i.ToString(CultureInfo.InvariantCulture);
            }

            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + ".csv"), Connections(connections, zone), cancellationToken));
            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + "-groupbyremoteaddress.csv"), ByRemoteAddress(connections), cancellationToken));
            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + "-connectionbysite.csv"), BySite(connections, sites), cancellationToken));
        }

        return written;
    }

    internal static IEnumerable<string?[]> Connections(IReadOnlyList<StoredConnection> connections, TimeZoneInfo zone)
    {
        yield return ["datetime", "LocalAddress", "RemoteAddress", "RemotePort", "State", "CreationTime", "duration"];
        foreach (var c in connections)
        {
            var since = c.CreatedAtUtc ?? c.FirstSeenUtc;
            var duration = Math.Max(0, (long)Math.Floor((c.TakenAtUtc - since).TotalSeconds));
            yield return
            [
                Local(c.TakenAtUtc, zone),
                c.LocalAddress,
                c.RemoteAddress,
                c.RemotePort.ToString(CultureInfo.InvariantCulture),
                c.State,
                c.CreatedAtUtc is { } created ? Local(created, zone) : "",
                duration.ToString(CultureInfo.InvariantCulture),
            ];
        }
    }

    internal static IEnumerable<string?[]> ByRemoteAddress(IReadOnlyList<StoredConnection> connections)
    {
        yield return ["RemoteAddress", "Count"];
        foreach (var g in connections.GroupBy(c => c.RemoteAddress, StringComparer.Ordinal)
                     .Select(g => (Address: g.Key, Count: g.Count()))
                     .OrderByDescending(g => g.Count).ThenBy(g => g.Address, StringComparer.Ordinal))
        {
            yield return [g.Address, g.Count.ToString(CultureInfo.InvariantCulture)];
        }
    }

    /// <summary>
    /// Clients grouped by the mapping's subnet that holds them (longest prefix); a client in no mapped subnet is grouped
    /// by its /24 (IPv4) or /64 (IPv6) with site <c>(unknown)</c>, which shows the subnets the mapping misses.
    /// </summary>
    internal static IEnumerable<string?[]> BySite(IReadOnlyList<StoredConnection> connections, SiteMap sites)
    {
        yield return ["Subnet", "Client", "Sitename", "avgconnection", "maxconnection"];
        var groups = connections
            .GroupBy(c => c.RemoteAddress, StringComparer.Ordinal)
            .Select(g => (Key: SubnetOf(g.Key, sites), Count: g.Count()))
            .GroupBy(c => c.Key)
            .Select(g => new SiteLoad(g.Key.Subnet, g.Key.Site, g.Count(), (double)g.Sum(x => x.Count) / g.Count(), g.Max(x => x.Count)))
            .OrderBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Subnet, StringComparer.Ordinal);
        foreach (var s in groups)
        {
            yield return
            [
                s.Subnet,
                s.Clients.ToString(CultureInfo.InvariantCulture),
                s.Site,
                s.AverageConnections.ToString("0.##", CultureInfo.InvariantCulture),
                s.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ];
        }
    }

    private static (string Subnet, string Site) SubnetOf(string address, SiteMap sites)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return (address, SiteMap.Unknown);
        }

        if (sites.TryLookup(ip, out var match))
        {
            return (match.Subnet.ToString(), match.Site);
        }

        var own = Subnet.Create(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 64);
        return (own.ToString(), SiteMap.Unknown);
    }

    private static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString(DateFormat, CultureInfo.InvariantCulture);

    private async Task<string> WriteAsync(string path, IEnumerable<string?[]> rows, CancellationToken cancellationToken)
    {
        var count = -1;
        await using (var writer = new StreamWriter(path, append: false, Utf8Bom) { NewLine = "\r\n" })
        {
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(CsvFields.Line(row).AsMemory(), cancellationToken);
                count++;
            }
        }

        Log.CsvExported(logger, Path.GetFileName(path), count);
        return path;
    }
}
