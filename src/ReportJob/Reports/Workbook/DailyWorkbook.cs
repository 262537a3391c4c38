using ReportJob.Reports.Model;

namespace ReportJob.Reports.Workbook;

/// <summary>The day's workbook: Summary, Top clients, Sites, Servers, Connections by state, Top talkers, Conversations, Scanners, Detections, Data quality.</summary>
public static class DailyWorkbook
{
    public static IReadOnlyList<SheetSpec> Sheets(DailyReport r)
    {
        var c = r.Connections;
        var f = r.Flows;
        var q = r.Quality;
        return
        [
            new SheetSpec("Summary", [new("Figure", CellKind.Text, 36), new("Value", CellKind.Decimal, 20)],
            [
                ["Day", r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
                ["Time zone", r.TimeZoneId],
                ["Servers", r.Headline.Servers],
                ["Clients", r.Headline.Clients],
                ["Peak connections", r.Headline.PeakConnections],
                ["Average connections", Math.Round(r.Headline.AverageConnections, 2)],
                ["Sites", r.Headline.Sites],
                ["Flows", r.Headline.Flows],
                ["Bytes", r.Headline.Bytes],
                .. r.Headline.Alerts.Select(a => new object?[] { "Alert", a }),
            ]),
            new SheetSpec("Top clients",
            [
                new("Client", CellKind.Text, 40), new("DNS name", CellKind.Text, 36), new("Site", CellKind.Text, 20),
                new("Peak connections", CellKind.Integer, 16), new("Average connections", CellKind.Decimal, 18), new("Servers", CellKind.Integer, 10),
                new("First seen", CellKind.DateTime, 18), new("Last seen", CellKind.DateTime, 18),
                new("Bytes in", CellKind.Integer, 16), new("Bytes out", CellKind.Integer, 16), new("Flows", CellKind.Integer, 12), new("Service ports", CellKind.Text, 24),
                new("Protocols", CellKind.Text, 30), new("User agents", CellKind.Text, 60), new("Users", CellKind.Text, 30),
            ],
            c.TopClients.Select(t => new object?[]
            {
                t.Address, t.DnsName, t.Site, t.PeakConnections, Math.Round(t.AverageConnections, 2), t.Servers, t.FirstSeenLocal, t.LastSeenLocal,
                // Traffic cells stay empty on a day without flows: unknown, not zero.
                f.HasData ? t.BytesIn : null, f.HasData ? t.BytesOut : null, f.HasData ? t.Flows : null, string.Join(", ", t.ServicePorts ?? []),
                string.Join(", ", t.Protocols), string.Join(" | ", t.UserAgents), string.Join(", ", t.Users),
            })),
            new SheetSpec("Sites",
            [
                new("Site", CellKind.Text, 30), new("Clients", CellKind.Integer, 10), new("Avg connections per client", CellKind.Decimal, 24),
                new("Max connections per client", CellKind.Integer, 24), new("Bytes in", CellKind.Integer, 16), new("Bytes out", CellKind.Integer, 16),
            ],
            c.Sites.Select(s => new object?[] { s.Site, s.Clients, Math.Round(s.AverageConnectionsPerClient, 2), s.MaxConnectionsPerClient, s.BytesIn, s.BytesOut })),
            new SheetSpec("Servers",
            [
                new("Server", CellKind.Text, 24), new("Average connections", CellKind.Decimal, 18), new("Peak connections", CellKind.Integer, 16),
                new("Share", CellKind.Percent, 10), new("Largest deviation", CellKind.Percent, 16), new("Rounds beyond threshold", CellKind.Integer, 22),
            ],
            c.Balance.Select(b => new object?[] { b.Server, Math.Round(b.AverageConnections, 2), b.PeakConnections, b.Share, b.MaxDeviation, b.RoundsFlagged })),
            new SheetSpec("Connections by state",
                [new("Server", CellKind.Text, 24), .. c.States.Select(s => new SheetColumn(s, CellKind.Decimal, 14))],
                c.StatesPerServer.Select(s => new object?[] { s.Server }.Concat(c.States.Select(st => (object?)Math.Round(s.AveragePerState[st], 2))).ToArray())),
            new SheetSpec("Top talkers",
            [
                new("Direction", CellKind.Text, 12), new("Host", CellKind.Text, 40), new("Site", CellKind.Text, 20),
                new("Flows", CellKind.Integer, 14), new("Packets", CellKind.Integer, 16), new("Bytes", CellKind.Integer, 18),
            ],
            f.TopSources.Select(t => new object?[] { "source", t.Key, t.Site, t.Flows, t.Packets, t.Bytes })
                .Concat(f.TopDestinations.Select(t => new object?[] { "destination", t.Key, t.Site, t.Flows, t.Packets, t.Bytes }))),
            new SheetSpec("Conversations",
                [new("Conversation", CellKind.Text, 60), new("Flows", CellKind.Integer, 14), new("Packets", CellKind.Integer, 16), new("Bytes", CellKind.Integer, 18)],
                f.TopConversations.Select(t => new object?[] { t.Key, t.Flows, t.Packets, t.Bytes })),
            new SheetSpec("Scanners",
            [
                new("Source", CellKind.Text, 40), new("Site", CellKind.Text, 20), new("Distinct ports", CellKind.Integer, 14), new("Distinct hosts", CellKind.Integer, 14),
                new("Flows", CellKind.Integer, 12), new("First seen", CellKind.DateTime, 18), new("Last seen", CellKind.DateTime, 18), new("Evidence", CellKind.Text, 60),
            ],
            f.Scanners.Select(s => new object?[] { s.Source, s.Site, s.DistinctPorts, s.DistinctHosts, s.Flows, s.FirstSeenLocal, s.LastSeenLocal, s.Evidence })),
            DetectionsSheet.Of(f.Detections),
            new SheetSpec("Data quality",
            [
                new("Server", CellKind.Text, 24), new("Snapshots expected", CellKind.Integer, 18), new("Taken", CellKind.Integer, 10),
                new("Failed", CellKind.Integer, 10), new("Last error", CellKind.Text, 80),
            ],
            q.Servers.Select(s => new object?[] { s.Server, s.Expected, s.Taken, s.Failed, s.LastError })
                .Append(["Export packets lost", q.ExportPacketsLost, null, null, null])
                .Append(["Undecodable records", q.UndecodableRecords, null, null, null])
                .Concat(q.SamplingNotes.Select(n => new object?[] { "Sampling", null, null, null, n }))
                .Concat(q.DecodingNotes.Select(n => new object?[] { "Decoded despite", null, null, null, n }))),
        ];
    }
}
