using ReportJob.NetFlow;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// The detections on softflowd's exports of traffic made to show each attack next to a normal background: a SYN flood
/// (DoS target), a port scan (scanner), a bulk transfer (heavy hitter), a spam burst (mail fan-out). Each attack is
/// found with its evidence and nothing else is flagged; the background alone flags nothing.
/// </summary>
public sealed class DetectionTests
{
    /// <summary>The thresholds every case runs with (the background is a few MB, the defaults are for real networks).</summary>
    internal static readonly Dictionary<string, string?> Thresholds = new()
    {
        ["NetFlow:HeavyHitters:MinShare"] = "0.3",
        ["NetFlow:HeavyHitters:MinBytes"] = "1000000",
        ["NetFlow:HeavyHitters:MinPackets"] = "2000",
        ["NetFlow:Dos:MinSources"] = "300",
        ["NetFlow:Dos:MinPackets"] = "20000",
        ["NetFlow:MailFanOut:MinDestinations"] = "30",
    };

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_BackgroundAlone_NothingFlagged()
    {
        var found = await DetectAsync(t => t.Background());

        Assert.Empty(found.Heavy);
        Assert.Empty(found.Dos);
        Assert.Empty(found.Mail);
        Assert.Empty(found.Scanners);
        Assert.True(found.Flows > 2000, $"the background exported {found.Flows} flows");
    }

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_SynFloodNextToBackground_TargetWithSourcesAndPeakRateOnly()
    {
        var found = await DetectAsync(t => t.Background().SynFlood());

        var target = Assert.Single(found.Dos);
        Assert.Equal(AttackTraffic.FloodTarget, target.Destination);
        Assert.Equal(AttackTraffic.FloodSources, target.DistinctSources);
        Assert.Equal(4L * AttackTraffic.FloodSources, target.Packets);
        // 3,200 SYNs in 19.2 s: about 167 a second.
        Assert.InRange(target.PeakPacketsPerSecond, 150, 180);
        Assert.StartsWith("sources 100.64.", target.Evidence(), StringComparison.Ordinal);
        Assert.EndsWith(" …", target.Evidence(), StringComparison.Ordinal);
        Assert.Empty(found.Heavy);
        Assert.Empty(found.Mail);
        Assert.Empty(found.Scanners);
    }

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_PortScanNextToBackground_ScannerWithPortsOnly()
    {
        var found = await DetectAsync(t => t.Background().PortScan());

        var scanner = Assert.Single(found.Scanners);
        Assert.Equal((AttackTraffic.Scanner, AttackTraffic.ScannedPorts, 1), (scanner.Source, scanner.DistinctPorts, scanner.DistinctHosts));
        Assert.Equal([AttackTraffic.ScanTarget], scanner.TopHosts);
        Assert.Empty(found.Dos);
        Assert.Empty(found.Heavy);
        Assert.Empty(found.Mail);
    }

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_BulkTransferNextToBackground_SenderAndReceiverAreHeavyHittersOnly()
    {
        var found = await DetectAsync(t => t.Background().BulkTransfer());

        Assert.Equal([(AttackTraffic.BulkSender, FlowRoles.Source), (AttackTraffic.BulkReceiver, FlowRoles.Destination)],
            found.Heavy.Select(h => (h.Host, h.Role)).Order().ToList());
        var sender = found.Heavy.Single(h => h.Role == FlowRoles.Source);
        Assert.Equal(AttackTraffic.Start, sender.HourUtc);
        // SYN, ACK, the data and FIN: the IP lengths softflowd counts.
        Assert.Equal(60 + 52 + (10_000L * 1500) + 52, sender.Bytes);
        Assert.InRange(sender.ByteShare, 0.5, 0.6);
        Assert.Equal($"to {AttackTraffic.BulkReceiver} tcp/22", sender.Evidence());
        Assert.Empty(found.Dos);
        Assert.Empty(found.Mail);
        Assert.Empty(found.Scanners);
    }

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_SpamBurstNextToBackground_SenderWithDestinationsOnly()
    {
        var found = await DetectAsync(t => t.Background().SpamBurst());

        var spammer = Assert.Single(found.Mail);
        Assert.Equal((AttackTraffic.Spammer, AttackTraffic.SpamDestinations, (long)AttackTraffic.SpamDestinations), (spammer.Source, spammer.DistinctDestinations, spammer.Flows));
        Assert.StartsWith("to 198.18.", spammer.Evidence(), StringComparison.Ordinal);
        Assert.Empty(found.Dos);
        Assert.Empty(found.Heavy);
        Assert.Empty(found.Scanners);
    }

    [ToolFact("softflowd", "tcpdump")]
    public async Task Detect_SpamBurstFromAnAllowedMailServer_NotFlagged()
    {
        var found = await DetectAsync(t => t.Background().SpamBurst(), new() { ["NetFlow:MailFanOut:AllowedSources:0"] = "10.1.0.64/30" });

        Assert.Empty(found.Mail);
    }

    /// <summary>
    /// Writes the traffic, has softflowd export it as NetFlow v9 (captured by tcpdump), ingests the capture with the
    /// test thresholds and returns what each detection finds over the whole store.
    /// </summary>
    internal static async Task<Findings> DetectAsync(Action<AttackTraffic> write, Dictionary<string, string?>? extra = null)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?>(Thresholds.Concat(extra ?? [])));
        var capture = Export(write, db.Directory);
        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(capture, default);
        Assert.Equal(IngestStatus.Ingested, outcome.Status);
        var o = db.Get<Microsoft.Extensions.Options.IOptions<NetFlowOptions>>().Value;
        var queries = db.Get<FlowQueries>();
        return new Findings(
            outcome.FlowRecords,
            await queries.HeavyHittersAsync(null, null, o.HeavyHitters, 3, default),
            await queries.DosTargetsAsync(null, null, o.Dos, 10, default),
            await queries.MailSendersAsync(null, null, o.MailFanOut, 10, default),
            await queries.ScannersAsync(null, null, o.Scan, 10, default));
    }

    /// <summary>The traffic <paramref name="write"/> makes, exported by softflowd (NetFlow v9): the tcpdump capture of the export.</summary>
    internal static string Export(Action<AttackTraffic> write, string folder)
    {
        var traffic = Path.Combine(folder, "traffic.pcap");
        using (var t = new AttackTraffic(traffic))
        {
            write(t);
        }

        return SoftflowdExport.Run(traffic, 9, folder, SoftflowdExport.NextPort(), withNfcapd: false).Capture;
    }

    internal sealed record Findings(
        long Flows, IReadOnlyList<HeavyHitterFinding> Heavy, IReadOnlyList<DosTargetFinding> Dos, IReadOnlyList<MailSenderFinding> Mail, IReadOnlyList<ScannerFinding> Scanners);
}
