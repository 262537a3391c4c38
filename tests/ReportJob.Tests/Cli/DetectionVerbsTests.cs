using ReportJob.Tests.NetFlow;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

/// <summary>The detection verbs and <c>flows top --by port</c> on softflowd's export of the background with all four attacks.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DetectionVerbsTests : IDisposable
{
    private readonly CliSandbox _cli = new(new Dictionary<string, object>
    {
        ["NetFlow"] = new
        {
            HeavyHitters = new { MinShare = 0.3, MinBytes = 1_000_000, MinPackets = 2000 },
            Dos = new { MinSources = 300, MinPackets = 20_000 },
            MailFanOut = new { MinDestinations = 30 },
        },
    });

    public void Dispose() => _cli.Dispose();

    [ToolFact("softflowd", "tcpdump")]
    public async Task FlowsDetections_ExportWithAttacks_EachVerbListsItsFinding()
    {
        var capture = DetectionTests.Export(t => t.Background().SynFlood().PortScan().BulkTransfer().SpamBurst(), _cli.Folder);
        var ingest = await _cli.RunAsync("ingest", capture);
        Assert.True(ingest.Exit == 0, ingest.Err);

        var dos = await _cli.RunAsync("flows", "dos-targets", "--format", "csv");
        Assert.True(dos.Exit == 0, dos.Err);
        var lines = Csv(dos.Out);
        Assert.Equal(["destination", "sources", "flows", "packets", "peak_packets_per_s", "first_seen", "last_seen", "evidence"], lines[0]);
        Assert.Equal([AttackTraffic.FloodTarget, "800", "3200", "3200"], lines[1][..4]);
        Assert.Equal(2, lines.Count);

        var heavy = await _cli.RunAsync("flows", "heavy-hitters", "--format", "json");
        Assert.True(heavy.Exit == 0, heavy.Err);
        using (var json = System.Text.Json.JsonDocument.Parse(heavy.Out))
        {
            Assert.Equal([(AttackTraffic.BulkSender, "source", "2026-11-20 10:00:00Z"), (AttackTraffic.BulkReceiver, "destination", "2026-11-20 10:00:00Z")],
                json.RootElement.EnumerateArray().Select(e => (e.GetProperty("host").GetString(), e.GetProperty("role").GetString(), e.GetProperty("hour").GetString())).Order());
        }

        var mail = await _cli.RunAsync("flows", "mail-senders");
        Assert.True(mail.Exit == 0, mail.Err);
        Assert.Contains(AttackTraffic.Spammer, mail.Out, StringComparison.Ordinal);
        Assert.Contains(" 120 ", mail.Out, StringComparison.Ordinal);

        var scanners = await _cli.RunAsync("flows", "scanners", "--format", "csv");
        Assert.Equal([AttackTraffic.Scanner, "150", "1"], Csv(scanners.Out)[1][..3]);

        var ports = await _cli.RunAsync("flows", "top", "--by", "port", "--limit", "3", "--format", "csv");
        Assert.True(ports.Exit == 0, ports.Err);
        var rows = Csv(ports.Out).Select(r => r[0]).ToList();
        // The bulk transfer's scp and the web traffic lead: replies are counted under the port they come from.
        Assert.Equal(["service_port", "tcp/22", "tcp/443", "tcp/25"], rows);
    }

    /// <summary>The rows of the verbs' CSV (every cell quoted; the cells here hold no comma or quote).</summary>
    private static List<string[]> Csv(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(',').Select(c => c.Trim('"')).ToArray()).ToList();
}
