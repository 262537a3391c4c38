using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.IisLogs;
using ReportJob.NetFlow;
using ReportJob.Reports.Model;
using ReportJob.Sites;
using ReportJob.Snapshots;

namespace ReportJob.Reports;

/// <summary>Reads what the store holds for one day and builds the report model the HTML, workbook and e-mail share.</summary>
internal sealed class DailyReportBuilder(
    ConnectionDayReader connections,
    ConnectionRollups rollups,
    SiteStore sites,
    FlowSectionBuilder flowSections,
    FlowQueries flowQueries,
    ReverseDns dns,
    IisQueries iis,
    IOptions<ReportOptions> options,
    IOptions<SnapshotsOptions> snapshotOptions,
    TimeProvider time,
    ILogger<DailyReportBuilder> logger)
{
    /// <summary>How many service ports the top-clients table names per client.</summary>
    public const int ServicePortsShown = 3;

    /// <summary>How many clients the trend follows: as many as its chart has distinct colours.</summary>
    public const int TrendClients = 8;

    public Task<DailyReport> BuildAsync(DateOnly day, CancellationToken cancellationToken) =>
        BuildAsync(day, new ReportTimings(), cancellationToken);

    public async Task<DailyReport> BuildAsync(DateOnly day, ReportTimings timings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var stage = Stopwatch.GetTimestamp();
        var o = options.Value;
        var zone = o.Zone();
        var window = DayWindow.For(day, zone);
        var siteMap = await sites.LoadAsync(cancellationToken);

        var snapshots = await connections.SnapshotsAsync(window.StartUtc, window.EndUtc, cancellationToken);
        stage = timings.AddSince("sites and snapshot list", stage);
        var (preliminary, rows) = await ConnectionSectionAsync(day, window, zone, siteMap, snapshots, timings, cancellationToken);
        stage = Stopwatch.GetTimestamp();
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        // Earlier days whose report never ran (the service was installed later, files imported late) are rolled up
        // now; a day rolled up before costs one look at its snapshot list.
        var (trend, _) = await rollups.RollUpAndTrendAsync(day.AddDays(1 - o.TrendDays), day, zone, o, siteMap, TrendClients, cancellationToken);
        // The day's aggregation left its tables of runs and rounds (tens of MB for a day of 10,000s of connections) as
        // garbage, and the GC keeps the memory it had committed for them: given back now, it is not added to what the
        // flows, the workbook and the charts need next, which sets the render's peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        stage = timings.AddSince("trend", stage);
        if (o.ResolveDnsNames && preliminary.TopClients.Count > 0)
        {
            foreach (var (address, name) in await dns.ResolveAsync(preliminary.TopClients.Select(c => c.Address), o.DnsTimeout, cancellationToken))
            {
                names[address] = ReportText.CleanOrNull(name);
            }
        }

        // IIS logs are kept per UTC day: the report's calendar day is matched with the same UTC date.
        var iisClients = preliminary.TopClients.Count == 0
            ? new Dictionary<string, IisClientDay>(StringComparer.Ordinal)
            : (await iis.ClientsAsync(day, preliminary.TopClients.Select(c => c.Address), cancellationToken)).ToDictionary(c => c.Client, StringComparer.Ordinal);
        var connectionSection = preliminary with
        {
            TopClients = preliminary.TopClients.Select(c =>
            {
                var withName = c with { DnsName = names.GetValueOrDefault(c.Address) };
                return iisClients.TryGetValue(c.Address, out var facts) ? withName with
                {
                    Protocols = facts.Protocols.Select(p => p.Name).ToList(),
                    UserAgents = facts.UserAgents.Take(3).Select(a => ReportText.Clean(a.Name)).ToList(),
                    Users = facts.Users.Take(5).Select(u => ReportText.Clean(u.Name)).ToList(),
                } : withName;
            }).ToList(),
        };
        var protocols = (await iis.ProtocolsAsync(day, cancellationToken)).Select(p => new ProtocolUsage(p.Name, p.Clients, p.Requests)).ToList();
        stage = timings.AddSince("DNS names and IIS facts", stage);

        var flowPart = await flowSections.BuildAsync(window, zone, siteMap, o, cancellationToken);
        var flows = flowPart.Section;
        connectionSection = connectionSection with
        {
            Sites = FlowSectionBuilder.WithSiteBytes(connectionSection.Sites, flowPart.SiteBytes),
            TopClients = flows.HasData ? await WithTrafficAsync(connectionSection.TopClients, window, cancellationToken) : connectionSection.TopClients,
        };
        var quality = Quality(window, snapshots, o, zone, flows.HasData, flowPart.Quality);
        var headline = Headline(connectionSection, flows, quality);
        var report = new DailyReport(day, o.TimeZone, time.GetUtcNow().UtcDateTime,
            TimeZoneInfo.ConvertTimeFromUtc(window.StartUtc, zone), TimeZoneInfo.ConvertTimeFromUtc(window.EndUtc, zone),
            headline, connectionSection, protocols, flows, quality)
        {
            Trend = trend,
        };
        timings.AddSince("flows and headline", stage);
        Log.ReportBuilt(logger, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows, snapshots.Count, watch.Elapsed.TotalSeconds);
        return report;
    }

    /// <summary>The day's connection section (before DNS names, IIS and flows are added) and how many connection-rounds it counted; the day's roll-up saved.</summary>
    private async Task<(ConnectionSection Section, long Rows)> ConnectionSectionAsync(DateOnly day, DayWindow window, TimeZoneInfo zone, SiteMap siteMap,
        IReadOnlyList<SnapshotInfo> snapshots, ReportTimings timings, CancellationToken cancellationToken)
    {
        var aggregator = new ConnectionDayAggregator(zone, options.Value);
        var (reading, aggregating) = await connections.ReadAsync(window.StartUtc, window.EndUtc, aggregator, cancellationToken);
        timings.Add("connections read", reading);
        timings.Add("connections aggregated", aggregating);
        var stage = Stopwatch.GetTimestamp();
        var section = aggregator.Build(siteMap, _ => null);
        // The day's figures are kept as its roll-up, for trends long after its runs are purged.
        await rollups.SaveAsync(day, zone.Id, snapshots.Count, snapshots.Count(s => !s.Ok), aggregator.Figures!, cancellationToken);
        timings.AddSince("connection section", stage);
        return (section, aggregator.Rows);
    }

    /// <summary>Each top client's traffic from the day's flows: the network's view of the client beside the servers' and IIS's.</summary>
    private async Task<IReadOnlyList<TopClientRow>> WithTrafficAsync(IReadOnlyList<TopClientRow> clients, DayWindow window, CancellationToken cancellationToken)
    {
        var traffic = (await flowQueries.HostTrafficAsync(clients.Select(c => c.Address).ToList(), window.StartUtc, window.EndUtc, ServicePortsShown, cancellationToken))
            .ToDictionary(t => t.Address, StringComparer.Ordinal);
        return clients.Select(c => traffic.TryGetValue(c.Address, out var t)
            ? c with { BytesIn = t.BytesIn, BytesOut = t.BytesOut, Flows = t.FlowsIn + t.FlowsOut, ServicePorts = t.ServicePorts }
            : c with { ServicePorts = [] }).ToList();
    }

    private DataQuality Quality(DayWindow window, IReadOnlyList<SnapshotInfo> snapshots, ReportOptions o, TimeZoneInfo zone, bool hasFlows, FlowQualityTotal flowQuality)
    {
        var expected = (int)Math.Round(window.Length / o.ExpectedSnapshotInterval);
        var configured = snapshotOptions.Value.Servers.Where(s => s.Enabled).Select(s => s.Name);
        var servers = configured.Concat(snapshots.Select(s => s.Server)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        var health = servers.Select(server =>
        {
            var mine = snapshots.Where(s => string.Equals(s.Server, server, StringComparison.OrdinalIgnoreCase)).ToList();
            var lastFailure = mine.Where(s => !s.Ok).MaxBy(s => s.TakenAtUtc);
            return new SnapshotCoverage(server, expected, mine.Count(s => s.Ok), mine.Count(s => !s.Ok), lastFailure?.Error,
                lastFailure is null ? null : TimeZoneInfo.ConvertTimeFromUtc(lastFailure.TakenAtUtc, zone));
        }).ToList();
        var notes = new List<string>();
        if (snapshots.Count == 0)
        {
            notes.Add("No connection snapshot was stored for this day.");
        }

        if (!hasFlows)
        {
            notes.Add("No NetFlow/IPFIX capture was ingested for this day.");
        }

        // Undecodable: data sets whose template never came plus malformed sets and datagrams (counted per set, not per record).
        return new DataQuality(health, flowQuality.SequenceLost, flowQuality.MissingTemplateSets + flowQuality.UndecodableSets, flowQuality.SamplingNotes, notes)
        {
            DecodingNotes = flowQuality.DeviationNotes(options.Value.CultureInfo()),
        };
    }

    private Headline Headline(ConnectionSection c, FlowSection f, DataQuality q)
    {
        var culture = options.Value.CultureInfo();
        var totals = c.RoundTimes.Select((_, i) => c.ConnectionsPerServer.Sum(s => double.IsNaN(s.Values[i]) ? 0 : s.Values[i])).ToArray();
        var peakIndex = totals.Length == 0 ? -1 : Array.IndexOf(totals, totals.Max());
        var alerts = new List<string>();
        foreach (var s in c.Balance.Where(b => b.Flagged))
        {
            alerts.Add(string.Format(culture, "Load balance: {0} deviated up to {1:+0%;-0%} from an even split, beyond ±{2:0%} in {3} rounds.",
                s.Server, s.MaxDeviation, c.ImbalanceThreshold, s.RoundsFlagged));
        }

        foreach (var s in q.Servers.Where(h => h.Failed > 0))
        {
            alerts.Add(string.Format(culture, "{0}: {1} snapshot(s) failed; last error: {2}", s.Server, s.Failed, s.LastError));
        }

        foreach (var s in q.Servers.Where(h => h.Taken + h.Failed == 0))
        {
            alerts.Add(string.Format(culture, "{0}: no snapshot at all for this day.", s.Server));
        }

        if (f.Scanners.Count > 0)
        {
            alerts.Add(string.Format(culture, "{0} suspected scanner(s) in the flow data.", f.Scanners.Count));
        }

        if (f.Detections.DosTargets.Count > 0)
        {
            alerts.Add(string.Format(culture, "{0} suspected DoS/DDoS target(s) in the flow data.", f.Detections.DosTargets.Count));
        }

        if (f.Detections.MailSenders.Count > 0)
        {
            alerts.Add(string.Format(culture, "{0} source(s) sending mail to many destinations (spam bots?) in the flow data.", f.Detections.MailSenders.Count));
        }

        return new Headline(
            c.Servers.Count,
            c.TopClients.Count == 0 ? 0 : (int)c.ClientDistribution.Sum(b => b.Count),
            peakIndex < 0 ? 0 : (long)totals[peakIndex],
            peakIndex < 0 ? null : c.RoundTimes[peakIndex],
            totals.Length == 0 ? 0 : totals.Average(),
            c.Sites.Count(s => s.Site != SiteMap.Unknown),
            // Every protocol is listed (the top is not cut below 256), so its sums are the day's totals.
            f.Protocols.Sum(p => p.Flows),
            f.Protocols.Sum(p => p.Bytes),
            alerts);
    }
}
