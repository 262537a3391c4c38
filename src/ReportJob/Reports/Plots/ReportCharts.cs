using System.Globalization;
using ReportJob.Reports.Model;
using ReportJob.Snapshots;
using static ReportJob.Reports.Plots.ChartKinds;

namespace ReportJob.Reports.Plots;

/// <summary>Every chart of a day's report, in the order the report shows them; a chart whose data is absent is left out.</summary>
public static class ReportCharts
{
    public const int TopBars = 15;
    public const int TopFlowBars = 10;

    public static IReadOnlyList<ReportChart> For(DailyReport r, CultureInfo culture)
    {
        var charts = new List<ReportChart>();
        var c = r.Connections;
        if (c.HasData)
        {
            var stateSeries = c.States.Select(st => (st, (IReadOnlyList<double>)c.StatesPerServer.Select(s => s.AveragePerState[st]).ToList())).ToList();
            charts.Add(Columns("states-per-server", "Average connections per state, per server", c.StatesPerServer.Select(s => s.Server).ToList(), stateSeries, culture));
            charts.Add(Donut("states-share", "Connection states, share of the day (all servers)", c.States,
                c.States.Select(st => c.StatesPerServer.Sum(s => s.AveragePerState[st])).ToList(), culture));
            charts.Add(Columns("states-per-hour", "Average connections per state over the day (all servers)",
                c.StatesPerHour.Select(h => h.Hour.ToString("00", CultureInfo.InvariantCulture) + ":00").ToList(),
                c.States.Select(st => (st, (IReadOnlyList<double>)c.StatesPerHour.Select(h => h.AveragePerState[st]).ToList())).ToList(), culture, "hour (local time)"));
            charts.Add(Lines("per-server", "Connections per server over the day", c.RoundTimes,
                c.ConnectionsPerServer.Select(s => (s.Server, s.Values)).ToList(), r.WindowStartLocal, r.WindowEndLocal, Unit.Count, culture));
            charts.Add(Columns("client-distribution", "Clients by their peak number of connections", c.ClientDistribution.Select(b => b.Label).ToList(),
                [("clients", c.ClientDistribution.Select(b => (double)b.Count).ToList())], culture, "connections held at once"));
        }

        if (c.TopClients.Count > 0)
        {
            var top = c.TopClients.Take(TopBars).ToList();
            charts.Add(Bars("top-clients", "Peak connections of the top clients", top.Select(t => t.Address).ToList(), top.Select(t => (double)t.PeakConnections).ToList(), Unit.Count, culture));
        }

        if (r.Protocols.Count > 0)
        {
            charts.Add(Bars("protocol-requests", "Requests per Exchange protocol (IIS logs)", r.Protocols.Select(p => p.Protocol).ToList(), r.Protocols.Select(p => (double)p.Requests).ToList(), Unit.Count, culture));
        }

        if (c.CreatedPerMinute.Count > 0)
        {
            charts.Add(Points("created-per-minute", "Connections created per minute (from creation times)", c.CreatedPerMinute.Select(m => m.MinuteLocal).ToList(),
                c.CreatedPerMinute.Select(m => (double)m.Created).ToList(), r.WindowStartLocal, r.WindowEndLocal, culture));
        }

        if (c.HasData)
        {
            charts.Add(Columns("source-ports", "Connections by client source port", c.SourcePorts.Select(b => b.Label).ToList(),
                [("connections", c.SourcePorts.Select(b => (double)b.Count).ToList())], culture, "client source port (ranges of 1024, by the first port)", labelEvery: 8));
        }

        // Sites seen only in flows have no clients: no bar to draw for them.
        var sites = c.Sites.Where(s => s.Clients > 0).Take(TopBars).ToList();
        if (sites.Count > 0)
        {
            charts.Add(Bars("site-clients", "Clients per site", sites.Select(s => s.Site).ToList(), sites.Select(s => (double)s.Clients).ToList(), Unit.Count, culture));
        }

        if (r.Trend is { } trend && HasTrend(trend))
        {
            static List<(string, IReadOnlyList<double>)> Of(IEnumerable<TrendSeries> series, Func<double, double>? map = null) =>
                series.Select(s => (s.Name, (IReadOnlyList<double>)(map is null ? s.Values : s.Values.Select(map).ToList()))).ToList();
            charts.Add(DayLines("trend-server-peaks", "Peak connections per server, day by day", trend.Days, Of(trend.ServerPeaks), Unit.Count, culture));
            charts.Add(DayLines("trend-clients", "Clients and peak connections (all servers), day by day", trend.Days,
                [("clients", trend.Clients.Values), ("peak connections", trend.Peaks.Values)], Unit.Count, culture));
            // A server's worst round of the day either way from an even split: above or below it, the balance is off.
            charts.Add(DayLines("trend-imbalance", "Largest deviation from an even split, per server, day by day", trend.Days,
                Of(trend.ServerMaxDeviations, Math.Abs), Unit.Percent, culture));
            if (trend.TopClientPeaks.Count > 0)
            {
                charts.Add(DayLines("trend-top-clients", "Peak connections of the clients with the highest peaks, day by day", trend.Days,
                    Of(trend.TopClientPeaks), Unit.Count, culture, height: 340));
            }
        }

        var f = r.Flows;
        if (f.HasData)
        {
            var bucket = f.BucketTimes.Count > 1 ? (f.BucketTimes[1] - f.BucketTimes[0]).TotalMinutes : 5;
            charts.Add(Lines("traffic-per-exporter", string.Create(CultureInfo.InvariantCulture, $"Bytes per {bucket:0} minutes, per exporter"), f.BucketTimes,
                f.BytesPerExporter.Select(s => (s.Server, s.Values)).ToList(), r.WindowStartLocal, r.WindowEndLocal, Unit.Bytes, culture));
            foreach (var (id, title, rows) in FlowTables(f))
            {
                if (rows.Count > 0)
                {
                    var shown = rows.Take(TopFlowBars).ToList();
                    charts.Add(Bars(id, title + " by bytes", shown.Select(t => t.Key).ToList(), shown.Select(t => (double)t.Bytes).ToList(), Unit.Bytes, culture));
                }
            }
        }

        return charts;
    }

    /// <summary>A trend needs two days with connections to be one.</summary>
    public static bool HasTrend(ConnectionTrend trend) => trend.PerDay.Count(d => d.Rounds > 0) >= 2;

    /// <summary>
    /// Draws a small chart as SVG and PNG: ScottPlot and Skia load their native library and the fonts and are compiled on
    /// first use (a few tenths of a second), which the report runner lets happen on the other core while it reads the day.
    /// </summary>
    public static void WarmUp()
    {
        var chart = new ReportChart("warm-up", "0", 120, 80, plot => plot.Add.Bars(new double[] { 1, 2 }));
        _ = chart.Svg();
        _ = chart.Png();
    }

    /// <summary>The flow top lists the report shows, each with its chart's id and title.</summary>
    public static IReadOnlyList<(string Id, string Title, IReadOnlyList<FlowTotal> Rows)> FlowTables(FlowSection f) =>
    [
        ("top-sources", "Top sources", f.TopSources),
        ("top-destinations", "Top destinations", f.TopDestinations),
        ("top-conversations", "Top conversations (source → destination, protocol/service port)", f.TopConversations),
        ("protocols", "Protocols", f.Protocols),
        ("ports", "Service ports", f.Ports),
    ];
}
