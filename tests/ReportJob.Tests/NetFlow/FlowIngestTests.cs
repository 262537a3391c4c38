using Dapper;
using ReportJob.NetFlow;
using ReportJob.Sites;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Flow = ReportJob.Tests.NetFlow.ExportPcapBuilder.Flow;

namespace ReportJob.Tests.NetFlow;

public sealed class FlowIngestTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    private static Flow F(string src, string dst, ushort dport, uint packets, uint bytes, int endSeconds = 60, byte proto = 6, byte? direction = null, ushort sport = 40000) =>
        new(src, dst, sport, dport, proto, packets, bytes, T0.AddSeconds(endSeconds - 10), T0.AddSeconds(endSeconds), direction);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_SameFileTwice_CountedOnce(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var file = new ExportPcapBuilder()
            .V5("192.0.2.1", T0.AddMinutes(10), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000), F("10.1.0.2", "10.2.0.1", 80, 5, 500, endSeconds: 400)])
            .Save(Path.Combine(db.Directory, "a.pcap"));
        var ingestor = db.Get<FlowIngestor>();

        var first = await ingestor.IngestFileAsync(file, default);
        File.Copy(file, Path.Combine(db.Directory, "copy.pcap"));
        var second = await ingestor.IngestFileAsync(Path.Combine(db.Directory, "copy.pcap"), default);

        Assert.Equal(IngestStatus.Ingested, first.Status);
        Assert.Equal(2, first.FlowRecords);
        Assert.Equal(IngestStatus.AlreadyIngested, second.Status);
        var summary = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.Equal((2L, 15L, 1500L), (summary.Total.Flows, summary.Total.Packets, summary.Total.Bytes));
        Assert.Equal(T0, summary.FirstBucketUtc);
        Assert.Equal(T0.AddMinutes(5), summary.LastBucketUtc);
        var top = await db.Get<FlowQueries>().TopAsync(FlowTopBy.Src, FlowMetric.Bytes, null, null, 10, default);
        Assert.Equal(["10.1.0.1", "10.1.0.2"], top.Select(t => t.Key));
        var conversations = await db.Get<FlowQueries>().TopAsync(FlowTopBy.Conversation, FlowMetric.Packets, null, null, 1, default);
        Assert.Equal("10.1.0.1 -> 10.2.0.1 tcp/443", Assert.Single(conversations).Key);
        var protocols = await db.Get<FlowQueries>().TopAsync(FlowTopBy.Proto, FlowMetric.Flows, null, null, 10, default);
        Assert.Equal(("tcp", 2L), (Assert.Single(protocols).Key, protocols[0].Flows));
    }

    /// <summary>
    /// Progress for each file of a run: bytes read never go back, and each file ends with a report of all its bytes and
    /// all its records (the reports in between come every quarter of a second, so a small file may have none).
    /// </summary>
    [Fact]
    public async Task Ingest_WithProgress_EachFileReportedToItsEnd()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var files = new[] { (Name: "one.pcap", Records: 300_000), (Name: "two.pcap", Records: 2_000) }
            .Select(f =>
            {
                var path = Path.Combine(db.Directory, f.Name);
                SampleCapture.Write(path, f.Records, startUnixSeconds: SampleCapture.FixedStartUnixSeconds + (uint)f.Records);
                return path;
            })
            .ToList();
        var reports = new List<IngestProgress>();

        var outcomes = await db.Get<FlowIngestor>().IngestFilesAsync(files, new SynchronousProgress(reports.Add), default);

        Assert.Equal([300_000L, 2_000L], outcomes.Select(o => o.FlowRecords));
        for (var i = 0; i < files.Count; i++)
        {
            var mine = reports.Where(r => r.FileNumber == i + 1).ToList();
            Assert.All(mine, r => Assert.Equal((Path.GetFileName(files[i]), 2, new FileInfo(files[i]).Length), (r.File, r.FileCount, r.Bytes)));
            Assert.Equal(mine.Select(r => r.BytesRead).Order(), mine.Select(r => r.BytesRead));
            Assert.Equal((new FileInfo(files[i]).Length, outcomes[i].FlowRecords), (mine[^1].BytesRead, mine[^1].Records));
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that records on the reporting thread (Progress&lt;T&gt; would post to the pool, in any order).</summary>
    private sealed class SynchronousProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }

    /// <summary>
    /// A large capture ingested again under another name: the ledger is asked as soon as the file's hash is known, on a
    /// connection of its own, and the decoding stops there (the hash of 45 MB takes a fraction of the decoding's time),
    /// with nothing stored twice. The first ingest is not stopped by its own hash.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_LargeFileAgain_RecognisedBeforeItIsDecoded(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var file = Path.Combine(db.Directory, "large.pcap");
        SampleCapture.Write(file, 1_000_000);
        var first = await db.Get<FlowIngestor>().IngestFileAsync(file, default);
        var copy = Path.Combine(db.Directory, "copy.pcap");
        File.Copy(file, copy);

        var second = await db.Get<FlowIngestor>().IngestFileAsync(copy, default);

        Assert.Equal((IngestStatus.Ingested, 1_000_000L), (first.Status, first.FlowRecords));
        Assert.Equal(IngestStatus.AlreadyIngested, second.Status);
        Assert.InRange(second.Datagrams, 1, first.Datagrams - 1);
        var summary = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.Equal(1_000_000L, summary.Total.Flows);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_V5HeaderSampling_ScalesBytesAndPacketsAndReportsIt(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var file = new ExportPcapBuilder().V5("192.0.2.1", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000)], samplingInterval: 100)
            .Save(Path.Combine(db.Directory, "a.pcap"));

        await db.Get<FlowIngestor>().IngestFileAsync(file, default);

        var summary = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.Equal((1000L, 100_000L, 10L, 1000L, 1L), (summary.Total.Packets, summary.Total.Bytes, summary.Total.RawPackets, summary.Total.RawBytes, summary.Total.SampledFlows));
        Assert.Equal("192.0.2.1: 1 in 100 (bytes and packets scaled by 100)", Assert.Single(summary.Quality.SamplingNotes));
    }

    [Fact]
    public async Task Ingest_ExporterOverrideAndDefault_SamplingFromConfiguration()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["NetFlow:DefaultSamplingInterval"] = "10",
            ["NetFlow:Exporters:0:Address"] = "192.0.2.2",
            ["NetFlow:Exporters:0:SamplingInterval"] = "1",
        });
        var file = new ExportPcapBuilder()
            .V5("192.0.2.1", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000)])
            .V5("192.0.2.2", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000)], samplingInterval: 50)
            .Save(Path.Combine(db.Directory, "a.pcap"));

        await db.Get<FlowIngestor>().IngestFileAsync(file, default);

        var exporters = (await db.Get<FlowQueries>().SummaryAsync(null, null, default)).Exporters.ToDictionary(e => e.Exporter);
        Assert.Equal(10_000, exporters["192.0.2.1"].Bytes);
        Assert.Equal(1000, exporters["192.0.2.2"].Bytes);
    }

    [Fact]
    public async Task Ingest_IngressOnlyExporter_LeavesOutEgressDuplicates()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
        {
            ["NetFlow:Exporters:0:Address"] = "192.0.2.1",
            ["NetFlow:Exporters:0:Direction"] = "ingress-only",
        });
        var flows = new[] { F("10.1.0.1", "10.2.0.1", 443, 10, 1000, direction: 0), F("10.1.0.1", "10.2.0.1", 443, 10, 1000, direction: 1) };
        var file = new ExportPcapBuilder().V9("192.0.2.1", T0.AddMinutes(2), flows).V9("192.0.2.9", T0.AddMinutes(2), flows)
            .Save(Path.Combine(db.Directory, "a.pcap"));

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(file, default);

        Assert.Equal((3L, 1L), (outcome.FlowRecords, outcome.SkippedRecords));
        var exporters = (await db.Get<FlowQueries>().SummaryAsync(null, null, default)).Exporters.ToDictionary(e => e.Exporter);
        Assert.Equal((1L, 1000L, 1L), (exporters["192.0.2.1"].Flows, exporters["192.0.2.1"].Bytes, exporters["192.0.2.1"].SkippedFlows));
        Assert.Equal((2L, 2000L), (exporters["192.0.2.9"].Flows, exporters["192.0.2.9"].Bytes));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_TemplateOnlyInEarlierFile_DataStillDecodes(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var builder = new ExportPcapBuilder();
        var first = new ExportPcapBuilder().V9("192.0.2.1", T0.AddMinutes(1), [], withData: false).Save(Path.Combine(db.Directory, "1.pcap"));
        var second = new ExportPcapBuilder().V9("192.0.2.1", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000)], withTemplate: false)
            .Save(Path.Combine(db.Directory, "2.pcap"));

        var outcomes = new[] { await db.Get<FlowIngestor>().IngestFileAsync(first, default), await db.Get<FlowIngestor>().IngestFileAsync(second, default) };

        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Ingested, o.Status));
        Assert.Equal(1, outcomes[1].FlowRecords);
        var quality = await db.Get<FlowQueries>().QualityAsync(null, null, default);
        Assert.Equal(0, quality.MissingTemplateSets);
    }

    [Fact]
    public async Task Ingest_SequenceGap_CountedInQuality()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var file = new ExportPcapBuilder()
            .V9("192.0.2.1", T0.AddMinutes(1), [F("10.1.0.1", "10.2.0.1", 443, 1, 100)])
            .V9("192.0.2.1", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 1, 100)], sequenceSkip: 3)
            .Save(Path.Combine(db.Directory, "a.pcap"));

        await db.Get<FlowIngestor>().IngestFileAsync(file, default);

        var quality = await db.Get<FlowQueries>().QualityAsync(null, null, default);
        Assert.Equal((1L, 2L, 3L), (quality.Files, quality.FlowRecords, quality.SequenceLost));
    }

    [Fact]
    public async Task Ingest_MoreKeysThanTopN_KeepsTopAndOtherWithExactTotals()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["NetFlow:TopN"] = "2" });
        var flows = Enumerable.Range(1, 5).Select(i => F($"10.1.0.{i}", "10.2.0.1", (ushort)(1000 + i), 1, (uint)(i * 100))).ToList();
        var file = new ExportPcapBuilder().V5("192.0.2.1", T0.AddMinutes(2), flows).Save(Path.Combine(db.Directory, "a.pcap"));

        Assert.Equal(IngestStatus.Ingested, (await db.Get<FlowIngestor>().IngestFileAsync(file, default)).Status);

        var queries = db.Get<FlowQueries>();
        var top = await queries.TopAsync(FlowTopBy.Src, FlowMetric.Bytes, null, null, 10, default);
        Assert.Equal(["10.1.0.5", "10.1.0.4"], top.Select(t => t.Key));
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(600, await c.ExecuteScalarAsync<long>("SELECT bytes FROM flow_host WHERE role = 0 AND address = '(other)'"));
        Assert.Equal(3, await c.ExecuteScalarAsync<long>("SELECT flows FROM flow_port WHERE protocol = 6 AND port = -1"));
        var proto = await queries.TopAsync(FlowTopBy.Proto, FlowMetric.Bytes, null, null, 10, default);
        Assert.Equal(1500, Assert.Single(proto).Bytes);
    }

    [Fact]
    public async Task Ingest_RequestsAndRepliesOfServices_KeyedByTheServicePortOnce()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var flows = new List<Flow>();
        for (var c = 1; c <= 20; c++)
        {
            flows.Add(F($"10.1.0.{c}", "10.2.0.1", 443, 10, 1000, sport: (ushort)(50000 + c)));
            flows.Add(F("10.2.0.1", $"10.1.0.{c}", (ushort)(50000 + c), 12, 9000, sport: 443));
        }

        flows.Add(F("10.1.0.1", "10.2.0.53", 53, 1, 70, proto: 17, sport: 33333));
        flows.Add(F("10.2.0.53", "10.1.0.1", 33333, 1, 150, proto: 17, sport: 53));
        flows.Add(F("10.1.0.9", "10.2.0.2", 8080, 5, 500, sport: 51000));
        flows.Add(F("10.2.0.2", "10.1.0.9", 51000, 5, 5000, sport: 8080));
        // ICMP echo: type 8 in the destination port's high byte, no source port.
        flows.Add(F("10.1.0.9", "10.2.0.2", 0x0800, 1, 84, proto: 1, sport: 0));
        var builder = new ExportPcapBuilder();
        foreach (var chunk in flows.Chunk(30))
        {
            builder.V5("192.0.2.1", T0.AddMinutes(2), chunk);
        }

        Assert.Equal(IngestStatus.Ingested, (await db.Get<FlowIngestor>().IngestFileAsync(builder.Save(Path.Combine(db.Directory, "a.pcap")), default)).Status);

        var queries = db.Get<FlowQueries>();
        var ports = await queries.TopAsync(FlowTopBy.Port, FlowMetric.Flows, null, null, 10, default);
        Assert.Equal([("tcp/443", 40L, 200_000L), ("tcp/8080", 2L, 5500L), ("udp/53", 2L, 220L), ("icmp/2048", 1L, 84L)], ports.Select(p => (p.Key, p.Flows, p.Bytes)));
        var conversations = await queries.TopAsync(FlowTopBy.Conversation, FlowMetric.Bytes, null, null, 2, default);
        Assert.All(conversations, c => Assert.Matches(@"^10\.2\.0\.1 -> 10\.1\.0\.\d+ tcp/443$", c.Key));
    }

    [Fact]
    public async Task WarmUp_DecodesTheGeneratedSample_OncePerProcess()
    {
        var first = FlowIngestor.WarmUpInBackground();
        Assert.Same(first, FlowIngestor.WarmUpInBackground());
        Assert.Equal(3000, await first);
    }

    /// <summary>
    /// Flows of random hosts ending up to a day before their export: the one drain at the end holds 288 buckets and
    /// makes over 100,000 rows, which the writer writes in parts. Every record is stored exactly once.
    /// </summary>
    [Fact]
    public async Task Ingest_DrainOfManyRows_WrittenInPartsWithExactTotals()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var file = Path.Combine(db.Directory, "spread.pcap");
        SampleCapture.Write(file, 40_000, endSpreadSeconds: 86_400);
        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(file, default);
        Assert.Equal(IngestStatus.Ingested, outcome.Status);
        Assert.Equal(40_000, outcome.FlowRecords);
        Assert.InRange(outcome.Rows, 100_000, 400_000);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal(outcome.Rows, await c.ExecuteScalarAsync<long>(
            """
            SELECT (SELECT COUNT(*) FROM flow_exporter) + (SELECT COUNT(*) FROM flow_host) + (SELECT COUNT(*) FROM flow_conversation)
                 + (SELECT COUNT(*) FROM flow_port) + (SELECT COUNT(*) FROM flow_site) + (SELECT COUNT(*) FROM flow_scan_evidence)
                 + (SELECT COUNT(*) FROM flow_quality)
            """));
        Assert.InRange(await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT bucket_start) FROM flow_conversation"), 280, 290);
        foreach (var table in new[] { "flow_exporter", "flow_conversation", "flow_port", "flow_host WHERE role = 0", "flow_host WHERE role = 1" })
        {
            Assert.Equal(40_000, await c.ExecuteScalarAsync<long>($"SELECT SUM(flows) FROM {table}"));
        }
    }

    [Fact]
    public async Task Ingest_SmallMemoryBudget_SameTotalsAsOneFlush()
    {
        var flows = Enumerable.Range(0, 3000).Select(i => F($"10.1.{i / 250}.{(i % 250) + 1}", $"10.2.{i % 7}.1", (ushort)(i % 300), 2, 200, endSeconds: i % 900)).ToList();
        var builder = new ExportPcapBuilder();
        foreach (var chunk in flows.Chunk(30))
        {
            builder.V5("192.0.2.1", T0.AddMinutes(16), chunk);
        }

        var totals = new List<(long, long, long, int)>();
        foreach (var budget in new[] { "1000", "1000000" })
        {
            await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["NetFlow:MaxEntriesInMemory"] = budget });
            await db.Get<FlowIngestor>().IngestFileAsync(builder.Save(Path.Combine(db.Directory, "a.pcap")), default);
            var s = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
            var top = await db.Get<FlowQueries>().TopAsync(FlowTopBy.Dst, FlowMetric.Bytes, null, null, 100, default);
            totals.Add((s.Total.Flows, s.Total.Packets, s.Total.Bytes, top.Count));
        }

        Assert.Equal((3000L, 6000L, 600_000L, 7), totals[0]);
        Assert.Equal(totals[0], totals[1]);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_PortScanAndHostSweep_ScannerFoundWithEvidence(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["NetFlow:Scan:MinDistinctPorts"] = "50",
            ["NetFlow:Scan:MinDistinctHosts"] = "20",
        });
        var builder = new ExportPcapBuilder();
        var probes = Enumerable.Range(1, 60).Select(p => F("10.66.6.6", "10.2.0.1", (ushort)p, 1, 40, endSeconds: 100 + p))
            .Concat(Enumerable.Range(1, 25).Select(h => F("10.66.6.7", $"10.3.0.{h}", 0x0800, 1, 28, proto: 1)))
            .Concat(Enumerable.Range(1, 40).Select(h => F("10.2.0.1", $"10.1.0.{h}", 50000, 1, 40, sport: 53, proto: 17)))
            .ToList();
        foreach (var chunk in probes.Chunk(30))
        {
            builder.V5("192.0.2.1", T0.AddMinutes(5), chunk);
        }

        await db.Get<FlowIngestor>().IngestFileAsync(builder.Save(Path.Combine(db.Directory, "a.pcap")), default);
        var scan = new ScanOptions { MinDistinctPorts = 50, MinDistinctHosts = 20 };
        var found = await db.Get<FlowQueries>().ScannersAsync(T0, T0.AddDays(1), scan, 5, default);

        Assert.Equal(["10.66.6.6", "10.66.6.7"], found.Select(f => f.Source));
        Assert.Equal((60, 1, 60L), (found[0].DistinctPorts, found[0].DistinctHosts, found[0].Flows));
        Assert.Equal(T0.AddSeconds(91), found[0].FirstSeenUtc);
        Assert.Equal(T0.AddSeconds(160), found[0].LastSeenUtc);
        Assert.Equal(5, found[0].TopPorts.Count);
        Assert.Equal((1, 25), (found[1].DistinctPorts, found[1].DistinctHosts));
    }

    [Fact]
    public async Task Ingest_SiteMapping_BytesInAndOutPerSite()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var csv = Path.Combine(db.Directory, "sites.csv");
        await File.WriteAllTextAsync(csv, "subnet,site\n10.1.0.0/16,Branch\n10.2.0.0/16,DC\n");
        await db.Get<SiteStore>().ImportAsync(csv, default);
        var file = new ExportPcapBuilder()
            .V5("192.0.2.1", T0.AddMinutes(2), [F("10.1.0.1", "10.2.0.1", 443, 10, 1000), F("10.2.0.1", "10.1.0.1", 40000, 10, 5000, sport: 443), F("10.1.0.1", "8.8.8.8", 53, 1, 70, proto: 17)])
            .Save(Path.Combine(db.Directory, "a.pcap"));

        await db.Get<FlowIngestor>().IngestFileAsync(file, default);

        var sites = await db.Get<FlowQueries>().SiteBytesAsync(T0, T0.AddDays(1), default);
        Assert.Equal((5000L, 1070L), sites["Branch"]);
        Assert.Equal((1000L, 5000L), sites["DC"]);
        Assert.Equal((70L, 0L), sites[SiteMap.Unknown]);
    }
}
