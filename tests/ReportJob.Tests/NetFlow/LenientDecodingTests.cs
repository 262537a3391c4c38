using System.Globalization;
using Dapper;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// Captures of sloppy exports, built here as real pcaps: every record is decoded, each deviation counted in the
/// quality figures, and the records equal tshark's decode of the same capture (source, bytes, packets, in order).
/// </summary>
public sealed class LenientDecodingTests(ITestOutputHelper output)
{
    private const uint ExportTime = 1_795_168_800; // 2026-11-20 10:00:00 UTC

    public static TheoryData<string> Cases => ["ipfix-trailing-bytes", "ipfix-zero-export-time", "v9-zero-export-time", "ipfix-short-counters", "v9-short-counters", "v9-unpadded-sets"];

    [ToolTheory("tshark")]
    [MemberData(nameof(Cases))]
    public async Task Ingest_SloppyExport_EveryRecordDecodedDeviationCountedAsTsharkDecodesIt(string name)
    {
        var (pcap, records, expected) = Build(name);
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var path = Path.Combine(db.Directory, name + ".pcap");
        await File.WriteAllBytesAsync(path, pcap);

        var (sink, _, results) = Corpus.DecodeCaptures([path]);
        var ours = sink.Flows.Select(f => (f.SourceAddress.ToString(), f.Bytes, f.Packets)).ToList();
        Assert.Equal(records.Select(r => (r.Source, r.Bytes, r.Packets)), ours);
        Assert.All(results, r => Assert.Equal(DecodeStatus.Ok, r.Status));
        Assert.Equal(expected, results.Aggregate(ExportDeviations.None, (all, r) => all | r.Deviations));

        var tshark = Tshark(path);
        output.WriteLine($"{name}: {ours.Count} records decoded, tshark {tshark.Count}");
        Assert.Equal(ours, tshark);

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(path, default);
        Assert.Equal((IngestStatus.Ingested, (long)records.Count), (outcome.Status, outcome.FlowRecords));
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var q = await c.QuerySingleAsync<(long Datagrams, long Undecodable, long Trailing, long ZeroTime, long Short, long Unpadded)>(
            "SELECT SUM(datagrams), SUM(undecodable_sets + missing_template_sets), SUM(trailing_bytes), SUM(zero_export_time), SUM(short_counters), SUM(unpadded_sets) FROM flow_quality");
        var each = q.Datagrams;
        Assert.Equal(0, q.Undecodable);
        Assert.Equal(
            (Count(ExportDeviations.TrailingBytes), Count(ExportDeviations.ZeroExportTime), Count(ExportDeviations.ShortCounters), Count(ExportDeviations.UnpaddedSet)),
            (q.Trailing, q.ZeroTime, q.Short, q.Unpadded));
        var notes = (await db.Get<FlowQueries>().QualityAsync(null, null, default)).DeviationNotes(CultureInfo.InvariantCulture);
        Assert.Equal(BitCount(expected), notes.Count);

        long Count(ExportDeviations d) => (expected & d) != 0 ? each : 0;
    }

    [ToolFact("tshark")]
    public async Task Ingest_CaptureCutInTheMiddleOfItsLastRecord_RecordsUpToTheCutAsTsharkReadsThem()
    {
        var (pcap, records, _) = Build("ipfix-short-counters");
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var path = Path.Combine(db.Directory, "cut.pcap");
        // 25 bytes into the last datagram's UDP payload: its record header is there, the frame is not whole.
        var lastFrame = 14 + 20 + 8 + SloppyExports.Ipfix(ExportTime, 0, SloppyExports.Records(3, 6, 3, 1), 3, 1, withTemplate: false).Length;
        var cutAt = pcap.Length - lastFrame - 16;
        await File.WriteAllBytesAsync(path, pcap[..(cutAt + 16 + 14 + 20 + 8 + 25)]);

        var (exit, _, stderr) = ExternalTools.RunRaw("tshark", ["-r", path, "-n", "-q"]);
        output.WriteLine($"tshark exit {exit}: {stderr.Trim()}");
        Assert.Contains("cut short in the middle of a packet", stderr, StringComparison.Ordinal);
        var tshark = Tshark(path);
        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(path, default);

        Assert.Equal(IngestStatus.Ingested, outcome.Status);
        Assert.Equal(records.Count - 6, outcome.FlowRecords);
        Assert.Equal(tshark.Count, outcome.FlowRecords);
        Assert.Contains($"cut short in the middle of its last record at byte offset {cutAt}", outcome.Warning, StringComparison.Ordinal);
    }

    /// <summary>The capture of a case, its records in order, and the deviations every one of its datagrams shows.</summary>
    private static (byte[] Pcap, List<SloppyExports.Record> Records, ExportDeviations Deviations) Build(string name)
    {
        var builder = new ExportPcapBuilder();
        var records = new List<SloppyExports.Record>();
        for (var d = 0; d < 4; d++)
        {
            var t = SloppyExports.Captured.AddSeconds(d);
            byte[] payload;
            switch (name)
            {
                case "ipfix-trailing-bytes":
                    var trailing = SloppyExports.Records(d, 5);
                    records.AddRange(trailing);
                    payload = SloppyExports.Ipfix(ExportTime + (uint)d, (uint)(d * 5), trailing, trailing: "TRAILING!"u8.ToArray());
                    break;
                case "ipfix-zero-export-time":
                    var zero = SloppyExports.Records(d, 5);
                    records.AddRange(zero);
                    payload = SloppyExports.Ipfix(0, (uint)(d * 5), zero);
                    break;
                case "v9-zero-export-time":
                    var zero9 = SloppyExports.Records(d, 5);
                    records.AddRange(zero9);
                    payload = SloppyExports.V9(0, (uint)d, [zero9]);
                    break;
                case "ipfix-short-counters":
                    var shortIpfix = SloppyExports.Records(d, 6, 3, 1);
                    records.AddRange(shortIpfix);
                    payload = SloppyExports.Ipfix(ExportTime + (uint)d, (uint)(d * 6), shortIpfix, 3, 1, withTemplate: d == 0);
                    break;
                case "v9-short-counters":
                    var short9 = SloppyExports.Records(d, 6, 2, 3);
                    records.AddRange(short9);
                    payload = SloppyExports.V9(ExportTime + (uint)d, (uint)d, [short9], 2, 3);
                    break;
                default:
                    // Sets of 3 and 2 records of 25 bytes: 79 and 54 bytes, neither a multiple of 4, the first followed by the second.
                    var first = SloppyExports.Records(d, 3);
                    var second = SloppyExports.Records(d + 10, 2);
                    records.AddRange(first.Concat(second));
                    payload = SloppyExports.V9(ExportTime + (uint)d, (uint)d, [first, second]);
                    break;
            }

            builder.Add("192.0.2.9", payload, t);
        }

        return (builder.ToPcap(), records, name switch
        {
            "ipfix-trailing-bytes" => ExportDeviations.TrailingBytes,
            "ipfix-zero-export-time" or "v9-zero-export-time" => ExportDeviations.ZeroExportTime,
            "ipfix-short-counters" or "v9-short-counters" => ExportDeviations.ShortCounters,
            _ => ExportDeviations.UnpaddedSet,
        });
    }

    /// <summary>tshark's records of a capture (cflow on UDP 2055): source, bytes, packets, in order; of a capture cut short, those before the cut (tshark then exits 2).</summary>
    private static List<(string Source, ulong Bytes, ulong Packets)> Tshark(string path)
    {
        var (exit, stdout, stderr) = ExternalTools.RunRaw("tshark", ["-r", path, "-n", "-d", "udp.port==2055,cflow", "-T", "fields", "-e", "cflow.srcaddr", "-e", "cflow.octets",
            "-e", "cflow.packets", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=;"]);
        Assert.True(exit == 0 || (exit == 2 && stderr.Contains("cut short in the middle of a packet", StringComparison.Ordinal)), $"tshark exited {exit}: {stderr}");
        var records = new List<(string, ulong, ulong)>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = line.Split(';');
            var sources = cells[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
            var bytes = cells[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
            var packets = cells[2].Split(',', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < sources.Length; i++)
            {
                records.Add((sources[i], ulong.Parse(bytes[i], CultureInfo.InvariantCulture), ulong.Parse(packets[i], CultureInfo.InvariantCulture)));
            }
        }

        return records;
    }

    private static int BitCount(ExportDeviations d) => System.Numerics.BitOperations.PopCount((uint)d);
}
