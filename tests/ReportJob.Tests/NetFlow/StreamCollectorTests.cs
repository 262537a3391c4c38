using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ReportJob.Cli;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// <c>listen --transport tcp|sctp</c>: export messages over connections into the same rotated capture files as over
/// UDP. The exports are softflowd's, over TCP, compared with nfcapd's reading of the same export over UDP; the framing
/// cases use a real exporter's IPFIX messages (pmacct's Cisco capture) sent by real sockets.
/// </summary>
public sealed class StreamCollectorTests
{
    [ToolFact("softflowd", "tcpdump", "nfcapd", "nfdump")]
    public async Task ListenTcp_SoftflowdIpfixOverTcp_IngestEqualsNfdumpTotalsOfTheSameExportOverUdp()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var viaUdp = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var traffic = Path.Combine(db.Directory, "traffic.pcap");
        SyntheticTraffic.Write(traffic, flows: 3000, seed: 23);
        var (udpCapture, nfcapd) = SoftflowdExport.Run(traffic, 10, viaUdp.Directory, SoftflowdExport.NextPort());
        var nfdump = SoftflowdExport.NfdumpTotals(nfcapd);
        await viaUdp.Get<FlowIngestor>().IngestFileAsync(udpCapture, default);
        var udp = await viaUdp.Get<FlowQueries>().SummaryAsync(null, null, default);

        var inbox = Path.Combine(db.Directory, "inbox");
        using var stop = new CancellationTokenSource();
        // Rotated every 32 KB: the stream's messages spread over several files.
        var (collector, run, port) = await StartAsync(new ListenSettings(IPAddress.IPv6Any, 0, inbox, TimeSpan.FromMinutes(10), 32 * 1024, 1 << 20) { Transport = ListenTransport.Tcp }, stop.Token);
        await ExportOverAsync("tcp", traffic, 10, port, collector, db.Directory);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));

        var files = Directory.GetFiles(inbox, "*.pcap").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 2, $"expected several files, got {files.Count}");
        Assert.Equal((1L, 0L, 0L), (counters.Connections, counters.Incomplete, counters.Dropped));
        Assert.Equal(counters.Received, counters.Written);
        var outcomes = await db.Get<FlowIngestor>().IngestFilesAsync(files, default);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Ingested, o.Status));
        Assert.Equal(counters.Written, outcomes.Sum(o => o.Datagrams));
        var ours = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.True(nfdump.Flows > 2000, $"nfdump counted {nfdump.Flows} flows");
        Assert.Equal((nfdump.Flows, nfdump.Packets, nfdump.Bytes), (ours.Total.Flows, ours.Total.Packets, ours.Total.Bytes));
        Assert.Equal(["127.0.0.1"], ours.Exporters.Select(e => e.Exporter));
        // The same flows as over UDP. Not the same sequence figures: softflowd's IPFIX sequence number counts the
        // records of the message it heads too (RFC 7011 §3.1: only those before it), so a gap is read wherever the
        // records per message change, and how a run packs them into messages depends on its timing.
        Assert.Equal(udp.Total, ours.Total);
        Assert.Equal((udp.Quality.FlowRecords, udp.Quality.UndecodableSets), (ours.Quality.FlowRecords, ours.Quality.UndecodableSets));
    }

    [Fact]
    public async Task ListenTcp_SeveralExportersPartialReadsAndAConnectionDroppedMidMessage_EveryWholeMessageWrittenWithItsExporter()
    {
        var messages = CiscoIpfixMessages();
        Assert.True(messages.Count >= 4, $"the capture holds {messages.Count} IPFIX messages");
        var folder = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        using var stop = new CancellationTokenSource();
        var (collector, run, port) = await StartAsync(new ListenSettings(IPAddress.IPv6Any, 0, folder, TimeSpan.FromMinutes(10), 1 << 20, 1 << 20) { Transport = ListenTransport.Tcp }, stop.Token);

        var stream = messages.SelectMany(m => m).ToArray();
        var half = messages.Count / 2;
        var cut = messages.Take(half).SelectMany(m => m).Concat(messages[half].Take(30)).ToArray();
        await Task.WhenAll(
            // Pieces of 1 to 97 bytes: headers and messages split across reads.
            SendAsync(IPAddress.Parse("127.0.0.2"), port, stream, pieces: true),
            SendAsync(IPAddress.Parse("127.0.0.3"), port, stream, pieces: false),
            SendAsync(IPAddress.IPv6Loopback, port, stream, pieces: true),
            // Closed 30 bytes into a message: the messages before it are kept, that one is lost.
            SendAsync(IPAddress.Parse("127.0.0.4"), port, cut, pieces: false));
        await WaitUntil(() => collector.Accepted == 4 && collector.Open == 0);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((4L, 1L), (counters.Connections, counters.Incomplete));
        Assert.Equal((3L * messages.Count) + half, counters.Written);
        var written = ReadBack(folder);
        foreach (var exporter in new[] { "127.0.0.2", "127.0.0.3", "::1" })
        {
            Assert.Equal(messages, written[exporter], new ByteArrayComparer());
        }

        Assert.Equal(messages.Take(half).ToList(), written["127.0.0.4"], new ByteArrayComparer());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ListenTcp_NetFlowV9Stream_ClosedAsUnframeableNothingWritten()
    {
        var v9 = new ExportPcapBuilder().V9("192.0.2.1", new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc),
            [new ExportPcapBuilder.Flow("10.1.0.1", "10.2.0.1", 1, 2, 6, 1, 40, new DateTime(2026, 11, 20, 9, 59, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 9, 59, 30, DateTimeKind.Utc))])
            .ToPcap()[(24 + 16 + 42)..];
        var folder = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        using var stop = new CancellationTokenSource();
        var (collector, run, port) = await StartAsync(new ListenSettings(IPAddress.Loopback, 0, folder, TimeSpan.FromMinutes(10), 1 << 20, 1 << 20) { Transport = ListenTransport.Tcp }, stop.Token);

        await SendAsync(IPAddress.Loopback, port, [.. v9, .. v9], pieces: false);
        await WaitUntil(() => collector.Accepted == 1 && collector.Open == 0);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1L, 0L, 0L, 1L), (counters.Connections, counters.Received, counters.Written, counters.Incomplete));
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.pcap") : []);
    }

    [Theory]
    [InlineData("000a0010000000000000000000000000", 16, null)]
    [InlineData("000a0014000000000000000000000000", 0, null)]
    [InlineData("000a", 0, null)]
    [InlineData("000a000f000000000000000000000000", 0, "shorter than its 16-byte header")]
    [InlineData("00050001", 0, null)]
    [InlineData("00050000", 0, "counts 0 records")]
    [InlineData("00090001", 0, "carry no length")]
    [InlineData("47455420", 0, "version 18245 is not")]
    public void MessageLength_StreamStart_LengthWaitOrError(string hex, int expected, string? error)
    {
        var length = StreamCollector.MessageLength(Hex.Bytes(hex), out var why);
        Assert.Equal(expected, length);
        if (error is null)
        {
            Assert.Null(why);
        }
        else
        {
            Assert.Contains(error, why, StringComparison.Ordinal);
        }
    }

    [SctpFact(needsSctp: false)]
    public async Task ListenSctp_KernelWithoutSctp_SaysSoAndExitsWithUsageError()
    {
        using var cli = new CliSandbox();
        var result = await cli.RunAsync("listen", "--transport", "sctp", "--port", SoftflowdExport.NextPort().ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(cli.Folder, "out"));

        Assert.Equal(ExitCodes.BadUsage, result.Exit);
        Assert.Contains("listen --transport sctp: this system offers no SCTP", result.Err, StringComparison.Ordinal);
        Assert.Contains(SctpFactAttribute.Unavailable()!, result.Err, StringComparison.Ordinal);
    }

    [SctpFact(needsSctp: true)]
    public async Task ListenSctp_SoftflowdV9OverSctp_IngestEqualsNfdumpTotalsOfTheSameExportOverUdp()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var traffic = Path.Combine(db.Directory, "traffic.pcap");
        SyntheticTraffic.Write(traffic, flows: 2000, seed: 29);
        var (_, nfcapd) = SoftflowdExport.Run(traffic, 9, db.Directory, SoftflowdExport.NextPort());
        var nfdump = SoftflowdExport.NfdumpTotals(nfcapd);

        var inbox = Path.Combine(db.Directory, "inbox");
        using var stop = new CancellationTokenSource();
        var (collector, run, port) = await StartAsync(new ListenSettings(IPAddress.Any, 0, inbox, TimeSpan.FromMinutes(10), 1 << 20, 1 << 20) { Transport = ListenTransport.Sctp }, stop.Token);
        await ExportOverAsync("sctp", traffic, 9, port, collector, db.Directory);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, counters.Incomplete);
        await db.Get<FlowIngestor>().IngestFilesAsync(Directory.GetFiles(inbox, "*.pcap").Order(StringComparer.Ordinal), default);
        var ours = await db.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.Equal((nfdump.Flows, nfdump.Packets, nfdump.Bytes), (ours.Total.Flows, ours.Total.Packets, ours.Total.Bytes));
    }

    /// <summary>softflowd exports the traffic to the collector over <paramref name="transport"/>; returns once its connection is closed and read.</summary>
    private static async Task ExportOverAsync(string transport, string traffic, int version, int port, StreamCollector collector, string folder)
    {
        var softflowd = ExternalTools.RunRaw("softflowd",
            ["-r", traffic, "-v", version.ToString(CultureInfo.InvariantCulture), "-P", transport, "-n", $"127.0.0.1:{port}", "-d", "-T", "full", "-m", "65536",
             "-p", Path.Combine(folder, $"softflowd-{transport}.pid")],
            TimeSpan.FromMinutes(5));
        Assert.True(softflowd.ExitCode == 0, softflowd.StdErr);
        await WaitUntil(() => collector.Accepted == 1 && collector.Open == 0);
    }

    /// <summary>The IPFIX messages of pmacct's Cisco test capture, each a whole message as the exporter sent it.</summary>
    private static List<byte[]> CiscoIpfixMessages()
    {
        var messages = new List<byte[]>();
        using var stream = File.OpenRead(Corpus.Path("pmacct-test-automation", "100-IPFIXv10-CISCO", "traffic-00.pcap"));
        using var reader = CaptureReader.Open(stream);
        while (reader.TryRead(out var d))
        {
            messages.Add(d.Payload.ToArray());
        }

        return messages;
    }

    /// <summary>A stream collector (logging nowhere) running until <paramref name="stop"/>; returns it, its run and the port it listens on.</summary>
    private static async Task<(StreamCollector Collector, Task<CollectorCounters> Run, int Port)> StartAsync(ListenSettings settings, CancellationToken stop)
    {
        var collector = new StreamCollector(TimeProvider.System, NullLogger<StreamCollector>.Instance);
        var bound = new TaskCompletionSource<IPEndPoint>();
        collector.Bound += e => bound.TrySetResult(e);
        var run = Task.Run(() => collector.RunAsync(settings, stop));
        return (collector, run, (await bound.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).Port);
    }

    /// <summary>Connects from <paramref name="from"/> and sends the bytes whole or in pieces of 1 to 97 bytes (each its own send, Nagle off), then closes.</summary>
    private static async Task SendAsync(IPAddress from, int port, byte[] bytes, bool pieces)
    {
        using var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(new IPEndPoint(from.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, port));
        var random = new Random(port ^ from.GetHashCode());
        for (var at = 0; at < bytes.Length;)
        {
            var n = pieces ? Math.Min(1 + random.Next(97), bytes.Length - at) : bytes.Length - at;
            at += await socket.SendAsync(bytes.AsMemory(at, n));
            if (pieces)
            {
                await Task.Delay(1);
            }
        }

        socket.Shutdown(SocketShutdown.Both);
    }

    /// <summary>The messages of the folder's completed files per exporter address, in order.</summary>
    private static Dictionary<string, List<byte[]>> ReadBack(string folder)
    {
        var written = new Dictionary<string, List<byte[]>>();
        foreach (var file in Directory.GetFiles(folder, "*.pcap").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            using var reader = CaptureReader.Open(stream);
            while (reader.TryRead(out var d))
            {
                var key = d.Exporter.ToString();
                (written.TryGetValue(key, out var list) ? list : written[key] = []).Add(d.Payload.ToArray());
            }
        }

        return written;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "waited 15 s in vain");
            await Task.Delay(100);
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
