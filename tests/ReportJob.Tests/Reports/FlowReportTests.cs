using ReportJob.NetFlow;
using ReportJob.Reports;
using ReportJob.Storage;
using ReportJob.Tests.NetFlow;
using ReportJob.Tests.TestSupport;
using Flow = ReportJob.Tests.NetFlow.ExportPcapBuilder.Flow;

namespace ReportJob.Tests.Reports;

/// <summary>The flow part of the daily report, for the fixture day with one ingested capture.</summary>
public sealed class FlowReportTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Build_DayWithCapture_FlowSectionSitesAndQualityFilled(StorageProvider provider)
    {
        await using var db = await ReportFixture.CreateAsync(provider);
        var probes = Enumerable.Range(1, 120).Select(p => new Flow("10.3.6.6", "10.2.1.50", 40000, (ushort)p, 6, 1, 40, T0.AddSeconds(30), T0.AddSeconds(31)));
        var builder = new ExportPcapBuilder()
            .V5("192.0.2.1", T0.AddMinutes(10), [
                new Flow("10.2.1.50", "10.3.0.7", 50000, 443, 6, 100, 100_000, T0.AddMinutes(1), T0.AddMinutes(2)),
                new Flow("10.3.0.7", "10.2.1.50", 443, 50000, 6, 80, 40_000, T0.AddMinutes(1), T0.AddMinutes(2)),
                new Flow("10.2.1.51", "198.51.100.7", 50001, 53, 17, 1, 70, T0.AddMinutes(6), T0.AddMinutes(7)),
            ], samplingInterval: 10);
        foreach (var chunk in probes.Chunk(30))
        {
            builder.V5("192.0.2.2", T0.AddMinutes(10), chunk.ToList());
        }

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(builder.Save(Path.Combine(db.Directory, "day.pcap")), default);
        Assert.Equal(IngestStatus.Ingested, outcome.Status);

        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);

        var f = report.Flows;
        Assert.True(f.HasData);
        Assert.Equal(24 * 12, f.BucketTimes.Count);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], f.BytesPerExporter.Select(s => s.Server));
        // 10:00 UTC is 11:00 in Paris; the first two flows end in the 11:00 bucket, the DNS one in 11:05.
        var at11 = f.BucketTimes.ToList().IndexOf(new DateTime(2026, 11, 20, 11, 0, 0));
        Assert.Equal(1_400_000, f.BytesPerExporter[0].Connections[at11]);
        Assert.Equal(700, f.BytesPerExporter[0].Connections[at11 + 1]);
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
}
