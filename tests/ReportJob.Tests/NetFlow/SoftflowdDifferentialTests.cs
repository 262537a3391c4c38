using ReportJob.NetFlow;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Synthetic traffic → softflowd (v5, v9, IPFIX) → the export captured by tcpdump and received by nfcapd →
/// <c>reportjob ingest</c> of the capture. Totals must equal nfdump's, the top-10 sources nfdump's
/// <c>-s srcip/bytes</c>, and the record count tshark's decode.
/// </summary>
public sealed class SoftflowdDifferentialTests(ITestOutputHelper output)
{
    [ToolTheory("softflowd", "nfcapd", "nfdump", "tshark", "tcpdump")]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    public async Task Ingest_SoftflowdExport_EqualsNfdumpAndTshark(int version)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var traffic = Path.Combine(db.Directory, "traffic.pcap");
        SyntheticTraffic.Write(traffic, flows: 3000, seed: version);
        var port = SoftflowdExport.NextPort();
        var (capture, nfcapdDirectory) = SoftflowdExport.Run(traffic, version, db.Directory, port);

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(capture, default);
        var nfdump = SoftflowdExport.NfdumpTotals(nfcapdDirectory);
        var nfdumpTop = SoftflowdExport.NfdumpTopSources(nfcapdDirectory, 10);
        var tshark = SoftflowdExport.TsharkRecordCount(capture, port);
        var queries = db.Get<FlowQueries>();
        var summary = await queries.SummaryAsync(null, null, default);
        var top = await queries.TopAsync(FlowTopBy.Src, FlowMetric.Bytes, null, null, 10, default);

        output.WriteLine($"v{version}: reportjob flows={summary.Total.Flows} packets={summary.Total.Packets} bytes={summary.Total.Bytes} records={outcome.FlowRecords}");
        output.WriteLine($"v{version}: nfdump    flows={nfdump.Flows} packets={nfdump.Packets} bytes={nfdump.Bytes}");
        output.WriteLine($"v{version}: tshark    records={tshark}");
        Assert.Equal(IngestStatus.Ingested, outcome.Status);
        Assert.True(nfdump.Flows > 1000, $"softflowd exported only {nfdump.Flows} flows");
        Assert.Equal((nfdump.Flows, nfdump.Packets, nfdump.Bytes), (summary.Total.Flows, summary.Total.Packets, summary.Total.Bytes));
        Assert.Equal(tshark, outcome.FlowRecords);
        // softflowd's IPFIX sequence number counts the records of its own message too (RFC 7011 §3.1 says "prior to"
        // this message), so its IPFIX streams show gaps; nfdump reports them as well. Both must agree there is loss or not.
        output.WriteLine($"v{version}: sequence: reportjob lost={summary.Quality.SequenceLost}, nfdump failures={nfdump.SequenceFailures}");
        Assert.Equal(nfdump.SequenceFailures > 0, summary.Quality.SequenceLost > 0);
        Assert.Equal(nfdumpTop, top.Select(t => (t.Key, t.Bytes)).ToList());
        var scanners = await queries.ScannersAsync(null, null, new ScanOptions(), 5, default);
        Assert.Equal(SyntheticTraffic.Scanner, Assert.Single(scanners).Source);
    }
}
