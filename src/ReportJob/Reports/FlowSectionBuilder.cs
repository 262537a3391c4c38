using System.Net;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow;
using ReportJob.Reports.Model;
using ReportJob.Sites;

namespace ReportJob.Reports;

/// <summary>The report's flow part for one day: the traffic section, bytes in/out per site, and the flow quality figures.</summary>
internal sealed class FlowSectionBuilder(FlowQueries queries, IOptions<NetFlowOptions> netFlowOptions)
{
    public static FlowSection Empty { get; } = new(false, [], [], [], [], [], [], [], []);

    public async Task<(FlowSection Section, IReadOnlyDictionary<string, (long BytesIn, long BytesOut)> SiteBytes, FlowQualityTotal Quality)> BuildAsync(
        DayWindow window, TimeZoneInfo zone, SiteMap sites, ReportOptions o, CancellationToken cancellationToken)
    {
        var from = window.StartUtc;
        var to = window.EndUtc;
        var quality = await queries.QualityAsync(from, to, cancellationToken);
        var series = await queries.ExporterSeriesAsync(from, to, cancellationToken);
        if (series.Count == 0)
        {
            return (Empty, new Dictionary<string, (long, long)>(), quality);
        }

        // A bucket grid over the whole day, so every exporter's series aligns with BucketTimes (0 where it sent nothing).
        var step = netFlowOptions.Value.BucketLength;
        var first = new DateTime(from.Ticks - (from.Ticks % step.Ticks), DateTimeKind.Utc);
        var grid = new List<DateTime>();
        for (var t = first; t < to; t += step)
        {
            grid.Add(t);
        }

        var perExporter = series.Select(s => new ServerSeries(s.Exporter, grid.Select(t => (double)s.BytesPerBucket.GetValueOrDefault(t)).ToList())).ToList();
        string Site(string address) => IPAddress.TryParse(address, out var ip) ? sites.Lookup(ip) : SiteMap.Unknown;
        async Task<IReadOnlyList<FlowTotal>> Top(FlowTopBy by, int limit, bool withSite) =>
            (await queries.TopAsync(by, FlowMetric.Bytes, from, to, limit, cancellationToken))
            .Select(r => new FlowTotal(r.Key, withSite ? Site(r.Key) : null, r.Flows, r.Packets, r.Bytes)).ToList();

        var scanners = (await queries.ScannersAsync(from, to, netFlowOptions.Value.Scan, 10, cancellationToken))
            .Select(f => new Scanner(f.Source, Site(f.Source), f.DistinctPorts, f.DistinctHosts, f.Flows,
                TimeZoneInfo.ConvertTimeFromUtc(f.FirstSeenUtc, zone), TimeZoneInfo.ConvertTimeFromUtc(f.LastSeenUtc, zone), f.Evidence()))
            .ToList();
        var n = netFlowOptions.Value;
        DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var detections = new FlowDetections(
            (await queries.HeavyHittersAsync(from, to, n.HeavyHitters, 3, cancellationToken))
                .Select(h => new HeavyHitter(h.Host, Site(h.Host), h.Role, Local(h.HourUtc), h.Bytes, h.Packets, h.ByteShare, h.PacketShare, h.Evidence())).ToList(),
            (await queries.DosTargetsAsync(from, to, n.Dos, 10, cancellationToken))
                .Select(d => new DosTarget(d.Destination, Site(d.Destination), d.DistinctSources, d.Flows, d.Packets, d.PeakPacketsPerSecond,
                    Local(d.FirstSeenUtc), Local(d.LastSeenUtc), d.Evidence())).ToList(),
            (await queries.MailSendersAsync(from, to, n.MailFanOut, 10, cancellationToken))
                .Select(m => new MailSender(m.Source, Site(m.Source), m.DistinctDestinations, m.Flows, Local(m.FirstSeenUtc), Local(m.LastSeenUtc), m.Evidence())).ToList());
        var section = new FlowSection(
            true,
            grid.Select(t => TimeZoneInfo.ConvertTimeFromUtc(t, zone)).ToList(),
            perExporter,
            await Top(FlowTopBy.Src, o.TopFlows, true),
            await Top(FlowTopBy.Dst, o.TopFlows, true),
            await Top(FlowTopBy.Conversation, o.TopFlows, false),
            await Top(FlowTopBy.Proto, 256, false),
            await Top(FlowTopBy.Port, o.TopFlows, false),
            scanners)
        {
            Detections = detections,
        };
        return (section, await queries.SiteBytesAsync(from, to, cancellationToken), quality);
    }

    /// <summary>The connection section's sites with their flow bytes; sites seen only in flows are added (no clients).</summary>
    public static IReadOnlyList<SiteSummary> WithSiteBytes(IReadOnlyList<SiteSummary> sites, IReadOnlyDictionary<string, (long BytesIn, long BytesOut)> bytes)
    {
        if (bytes.Count == 0)
        {
            return sites;
        }

        var known = sites.Select(s => bytes.TryGetValue(s.Site, out var b) ? s with { BytesIn = b.BytesIn, BytesOut = b.BytesOut } : s).ToList();
        var names = sites.Select(s => s.Site).ToHashSet(StringComparer.Ordinal);
        known.AddRange(bytes.Where(kv => !names.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new SiteSummary(kv.Key, 0, 0, 0, kv.Value.BytesIn, kv.Value.BytesOut)));
        return known;
    }
}
