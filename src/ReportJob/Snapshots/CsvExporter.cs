using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using ReportJob.Sites;

namespace ReportJob.Snapshots;

/// <summary>
/// The three CSV files the PowerShell routine wrote per run, so that its Excel sheets and Power BI models read them
/// unchanged: <c>iisports-yyyyMMdd-HHmm.csv</c> (the connections), <c>…-groupbyremoteaddress.csv</c> (connections per
/// client) and <c>…-connectionbysite.csv</c> (clients and connections per client per subnet). Names, run stamps and
/// times are in the given zone; dates and numbers are written in the given culture, as Export-Csv writes them on a
/// server of that culture; every field quoted, CRLF line ends, UTF-16 LE with a BOM (<c>-Encoding unicode</c>) unless
/// another encoding is given.
/// </summary>
internal sealed class CsvExporter(ConnectionQueries queries, SiteStore siteStore, ILogger<CsvExporter> logger)
{
    /// <summary>The routine's run stamp, in file names and in the <c>datetime</c> column.</summary>
    public const string RunStampFormat = "yyyyMMdd-HHmm";

    /// <summary>What the routine wrote with <c>-Encoding unicode</c>: UTF-16 LE with a BOM.</summary>
    public static readonly Encoding Unicode = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);

    /// <summary>UTF-8 with a BOM, so that Excel reads the encoding right.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public async Task<IReadOnlyList<string>> ExportAsync(IReadOnlyList<ConnectionRound> rounds, string outDirectory, TimeZoneInfo zone, CultureInfo culture, Encoding encoding, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDirectory);
        var sites = await siteStore.LoadAsync(cancellationToken);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var (round, connections) in queries.ReadRoundsAsync(rounds, cancellationToken))
        {
            var runStamp = RunStamp(round.StartUtc, zone);
            // Two rounds in one minute (a server collected twice): keep both sets apart.
            var stem = "iisports-" + runStamp;
            var unique = stem;
            for (var i = 2; !used.Add(unique); i++)
            {
                unique = stem + "-" + i.ToString(CultureInfo.InvariantCulture);
            }

            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + ".csv"), Connections(connections, runStamp, zone, culture), encoding, logger, cancellationToken));
            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + "-groupbyremoteaddress.csv"), ByRemoteAddress(connections, culture), encoding, logger, cancellationToken));
            written.Add(await WriteAsync(Path.Combine(outDirectory, unique + "-connectionbysite.csv"), BySite(connections, sites, culture), encoding, logger, cancellationToken));
        }

        return written;
    }

    public static string RunStamp(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString(RunStampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The routine's connection rows: its run stamp, the connection, CreationTime as the culture writes a date
    /// (FILETIME 0, 1/1/1601 in the zone's standard time, when Windows would not know it), and duration = seconds since
    /// creation, or since first seen when there is no creation time.
    /// </summary>
    internal static IEnumerable<string?[]> Connections(IEnumerable<StoredConnection> connections, string runStamp, TimeZoneInfo zone, CultureInfo culture)
    {
        yield return ["datetime", "LocalAddress", "RemoteAddress", "RemotePort", "State", "CreationTime", "duration"];
        var noCreationTime = Date(new DateTime(1601, 1, 1).Add(zone.BaseUtcOffset), culture);
        foreach (var c in connections)
        {
            var since = c.CreatedAtUtc ?? c.FirstSeenUtc;
            var duration = Math.Max(0, (long)Math.Floor((c.TakenAtUtc - since).TotalSeconds));
            yield return
            [
                runStamp,
                c.LocalAddress,
                c.RemoteAddress,
                c.RemotePort.ToString(culture),
                c.State,
                c.CreatedAtUtc is { } created ? Date(TimeZoneInfo.ConvertTimeFromUtc(created, zone), culture) : noCreationTime,
                duration.ToString(culture),
            ];
        }
    }

    internal static IEnumerable<string?[]> ByRemoteAddress(IReadOnlyList<StoredConnection> connections, CultureInfo culture)
    {
        yield return ["RemoteAddress", "Count"];
        foreach (var g in connections.GroupBy(c => c.RemoteAddress, StringComparer.Ordinal)
                     .Select(g => (Address: g.Key, Count: g.Count()))
                     .OrderByDescending(g => g.Count).ThenBy(g => g.Address, StringComparer.Ordinal))
        {
            yield return [g.Address, g.Count.ToString(culture)];
        }
    }

    /// <summary>
    /// Clients grouped by the mapping's subnet that holds them (longest prefix); a client in no mapped subnet is grouped
    /// by its /24 (IPv4) or /64 (IPv6) with site <c>(unknown)</c>, which shows the subnets the mapping misses. The
    /// subnet is written as the routine's "SubnetB": <c>10.2.1</c> for an IPv4 /24, the CIDR otherwise. The average is
    /// a double as PowerShell 7's Measure-Object gives it and Export-Csv writes it in the culture (5,375 in de-DE).
    /// </summary>
    internal static IEnumerable<string?[]> BySite(IReadOnlyList<StoredConnection> connections, SiteMap sites, CultureInfo culture)
    {
        yield return ["SubnetB", "Client", "Sitename", "avgconnection", "maxconnection"];
        var groups = connections
            .GroupBy(c => c.RemoteAddress, StringComparer.Ordinal)
            .Select(g => (Key: SubnetOf(g.Key, sites), Count: g.Count()))
            .GroupBy(c => c.Key)
            .Select(g => new SiteLoad(SubnetB(g.Key.Subnet), g.Key.Site, g.Count(), (double)g.Sum(x => x.Count) / g.Count(), g.Max(x => x.Count)))
            .OrderBy(s => s.Site, StringComparer.Ordinal).ThenBy(s => s.Subnet, StringComparer.Ordinal);
        foreach (var s in groups)
        {
            yield return
            [
                s.Subnet,
                s.Clients.ToString(culture),
                s.Site,
                s.AverageConnections.ToString(culture),
                s.MaxConnections.ToString(culture),
            ];
        }
    }

    /// <summary>The routine's class-C form for an IPv4 /24 (<c>10.2.1</c>), the CIDR for anything else.</summary>
    internal static string SubnetB(Subnet subnet)
    {
        if (!subnet.IsIPv4 || subnet.PrefixLength != 24)
        {
            return subnet.ToString();
        }

        var text = subnet.Network.ToString();
        return text[..text.LastIndexOf('.')];
    }

    /// <summary>
    /// A date as Export-Csv writes it in the culture (its short date and long time pattern). ICU cultures put a narrow
    /// no-break space before AM/PM where Windows, on which the routine ran, puts a plain space: the plain one is written.
    /// </summary>
    internal static string Date(DateTime local, CultureInfo culture) =>
        local.ToString(culture).Replace('\u202F', ' ');

    /// <summary>Writes rows as Export-Csv does: every field quoted, CRLF.</summary>
    internal static async Task<string> WriteAsync(string path, IEnumerable<string?[]> rows, Encoding encoding, ILogger logger, CancellationToken cancellationToken)
    {
        var count = -1;
        await using (var writer = new StreamWriter(path, append: false, encoding) { NewLine = "\r\n" })
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

    private static (Subnet Subnet, string Site) SubnetOf(string address, SiteMap sites)
    {
        // Stored addresses are written by IPAddress.ToString: they parse.
        var ip = IPAddress.Parse(address);
        if (sites.TryLookup(ip, out var match))
        {
            return (match.Subnet, match.Site);
        }

        return (Subnet.Create(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 64), SiteMap.Unknown);
    }
}
