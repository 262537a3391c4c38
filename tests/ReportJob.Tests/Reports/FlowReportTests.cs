using DocumentFormat.OpenXml.Packaging;
using ReportJob.Reports;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>The flow part of the daily report, for the fixture day with one ingested capture (<see cref="ReportFixture.IngestFlowsAsync"/>).</summary>
public sealed class FlowReportTests
{
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Build_DayWithCapture_FlowSectionSitesAndQualityFilled(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        await ReportFixture.IngestFlowsAsync(db);

        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);

        var f = report.Flows;
        Assert.True(f.HasData);
        Assert.Equal(24 * 12, f.BucketTimes.Count);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], f.BytesPerExporter.Select(s => s.Server));
        // 10:00 UTC is 11:00 in Paris; the first two flows end in the 11:00 bucket, the DNS one in 11:05.
        var at11 = f.BucketTimes.ToList().IndexOf(new DateTime(2026, 11, 20, 11, 0, 0));
        Assert.Equal(1_400_000, f.BytesPerExporter[0].Values[at11]);
        Assert.Equal(700, f.BytesPerExporter[0].Values[at11 + 1]);
        var top = f.TopSources[0];
        Assert.Equal(("10.2.1.50", "Paris", 1L, 1000L, 1_000_000L), (top.Key, top.Site, top.Flows, top.Packets, top.Bytes));
        Assert.Equal("10.2.1.50 -> 10.3.0.7 tcp/443", f.TopConversations[0].Key);
        Assert.Equal(["tcp", "udp"], f.Protocols.Select(p => p.Key));
        var scanner = Assert.Single(f.Scanners);
        Assert.Equal(("10.3.6.6", "Lyon", 120, 1, 120L), (scanner.Source, scanner.Site, scanner.DistinctPorts, scanner.DistinctHosts, scanner.Flows));
        Assert.Equal(new DateTime(2026, 11, 20, 11, 0, 30), scanner.FirstSeenLocal);
        Assert.StartsWith("ports tcp/", scanner.Evidence, StringComparison.Ordinal);

        var paris = report.Connections.Sites.Single(s => s.Site == "Paris");
        var lyon = report.Connections.Sites.Single(s => s.Site == "Lyon");
        Assert.Equal((400_000L + 4800L, 1_000_700L), (paris.BytesIn, paris.BytesOut));
        Assert.Equal((1_000_000L, 400_000L + 4800L), (lyon.BytesIn, lyon.BytesOut));

        Assert.DoesNotContain(report.Quality.Notes, n => n.Contains("NetFlow", StringComparison.Ordinal));
        Assert.Equal("192.0.2.1: 1 in 10 (bytes and packets scaled by 10)", Assert.Single(report.Quality.SamplingNotes));
        Assert.Contains(report.Headline.Alerts, a => a.Contains("scanner", StringComparison.Ordinal));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task TopClients_DayWithCapture_TrafficEqualsTheClientsFlows(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        await ReportFixture.IngestFlowsAsync(db);

        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);

        // Computed by hand in ReportFixture.IngestFlowsAsync: out 100,000 × 10; in 40,000 × 10 + 120 × 40; 1 + 1 + 120 flows.
        var heavy = report.Connections.TopClients.Single(c => c.Address == "10.2.1.50");
        Assert.Equal((404_800L, 1_000_000L, 122L), (heavy.BytesIn, heavy.BytesOut, heavy.Flows));
        Assert.Equal(["tcp/443"], heavy.ServicePorts);
        // 10.2.1.51 holds no connection in the snapshots, so it is no top client; the other clients sent no flow.
        Assert.DoesNotContain(report.Connections.TopClients, c => c.Address == "10.2.1.51");
        Assert.All(report.Connections.TopClients.Where(c => c.Address != "10.2.1.50"), c => Assert.Equal((0L, 0L, 0L), (c.BytesIn, c.BytesOut, c.Flows)));

        // The same figures on the client's row of the report and of the workbook.
        var html = await File.ReadAllTextAsync(result.HtmlPath);
        var row = html[html.IndexOf("<td>10.2.1.50</td>", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<td class=\"n\">395.3 KiB</td><td class=\"n\">976.6 KiB</td><td class=\"n\">122</td><td class=\"ports\">tcp/443</td>", row, StringComparison.Ordinal);
        using var doc = SpreadsheetDocument.Open(result.WorkbookPath, false);
        var cells = ReportArtifactTests.Cells(doc, "Top clients");
        var header = cells.Where(c => c.Reference.EndsWith('1') && c.Reference.Length == 2).Select(c => c.Text).ToList();
        var rowNumber = cells.Single(c => c.Text == "10.2.1.50").Reference[1..];
        string Cell(string column) => cells.Single(c => c.Reference == (char)('A' + header.IndexOf(column)) + rowNumber).Text;
        Assert.Equal(("404800", "1000000", "122", "tcp/443"), (Cell("Bytes in"), Cell("Bytes out"), Cell("Flows"), Cell("Service ports")));
    }
}
