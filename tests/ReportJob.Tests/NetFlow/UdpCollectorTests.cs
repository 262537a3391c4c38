using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

public sealed class UdpCollectorTests
{
    [ToolFact("softflowd", "tcpdump")]
    public async Task Listen_SoftflowdOnLoopback_FilesIngestLikeTcpdumpCapture()
    {
        await using var viaCollector = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var viaTcpdump = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var traffic = Path.Combine(viaCollector.Directory, "traffic.pcap");
        SyntheticTraffic.Write(traffic, flows: 2000, seed: 11);
        var port = SoftflowdExport.NextPort();
        var outDir = Path.Combine(viaCollector.Directory, "inbox");
        using var stop = new CancellationTokenSource();
        var collector = viaCollector.Services.GetRequiredService<UdpCollector>();
        var bound = new TaskCompletionSource();
        collector.Bound += _ => bound.TrySetResult();
        // Rotate every 64 KB so the export spans several files: rotation must lose nothing.
        var run = Task.Run(() => collector.RunAsync(new ListenSettings(IPAddress.IPv6Any, port, outDir, TimeSpan.FromMinutes(10), 64 * 1024, 8 << 20), stop.Token));
        await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var (capture, _) = SoftflowdExport.Run(traffic, 9, viaTcpdump.Directory, port, withNfcapd: false);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));

        var files = Directory.GetFiles(outDir).Order(StringComparer.Ordinal).ToList();
        Assert.All(files, f => Assert.EndsWith(".pcap", f, StringComparison.Ordinal));
        Assert.True(files.Count >= 2, $"expected rotation into several files, got {files.Count}");
        Assert.Equal(files.Count, counters.Files);
        Assert.Equal(counters.Received, counters.Written);
        Assert.Equal(0, counters.Dropped);
        var fromCollector = await viaCollector.Get<FlowIngestor>().IngestFilesAsync(files, default);
        var fromTcpdump = await viaTcpdump.Get<FlowIngestor>().IngestFileAsync(capture, default);
        Assert.All(fromCollector, o => Assert.Equal(IngestStatus.Ingested, o.Status));
        Assert.Equal(fromTcpdump.Datagrams, counters.Written);
        Assert.Equal(fromTcpdump.Datagrams, fromCollector.Sum(o => o.Datagrams));

        var a = await viaCollector.Get<FlowQueries>().SummaryAsync(null, null, default);
        var b = await viaTcpdump.Get<FlowQueries>().SummaryAsync(null, null, default);
        Assert.True(b.Total.Flows > 1000);
        Assert.Equal(b.Exporters, a.Exporters);
        Assert.Equal(b.Total, a.Total);
        Assert.Equal((b.Quality.FlowRecords, b.Quality.SequenceLost, b.Quality.MissingTemplateSets, b.Quality.UndecodableSets),
            (a.Quality.FlowRecords, a.Quality.SequenceLost, a.Quality.MissingTemplateSets, a.Quality.UndecodableSets));
        Assert.Equal(b.Quality.SamplingNotes, a.Quality.SamplingNotes);
        foreach (var by in Enum.GetValues<FlowTopBy>())
        {
            Assert.Equal(
                await viaTcpdump.Get<FlowQueries>().TopAsync(by, FlowMetric.Bytes, null, null, 20, default),
                await viaCollector.Get<FlowQueries>().TopAsync(by, FlowMetric.Bytes, null, null, 20, default));
        }
    }

    [Fact]
    public async Task Listen_Ipv6Datagram_WrittenWithSourceAddressAndReadBack()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var outDir = Path.Combine(db.Directory, "out");
        using var stop = new CancellationTokenSource();
        var collector = db.Services.GetRequiredService<UdpCollector>();
        var bound = new TaskCompletionSource<IPEndPoint>();
        collector.Bound += e => bound.TrySetResult(e);
        var run = Task.Run(() => collector.RunAsync(new ListenSettings(IPAddress.IPv6Any, 0, outDir, TimeSpan.FromMinutes(10), 1 << 20, 1 << 20), stop.Token));
        var local = await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var datagram = new ExportPcapBuilder().V5("192.0.2.1", new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc),
            [new ExportPcapBuilder.Flow("10.1.0.1", "10.2.0.1", 1, 2, 6, 1, 40, new DateTime(2026, 11, 20, 9, 59, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 9, 59, 30, DateTimeKind.Utc))])
            .ToPcap()[(24 + 16 + 42)..];
        using (var v6 = new UdpClient(AddressFamily.InterNetworkV6))
        {
            await v6.SendAsync(datagram, new IPEndPoint(IPAddress.IPv6Loopback, local.Port));
        }

        using (var v4 = new UdpClient(AddressFamily.InterNetwork))
        {
            await v4.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, local.Port));
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((!Directory.Exists(outDir) || Directory.GetFiles(outDir).Length == 0) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        await stop.CancelAsync();
        var counters = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((2L, 2L, 1L), (counters.Received, counters.Written, counters.Files));
        using var stream = File.OpenRead(Assert.Single(Directory.GetFiles(outDir)));
        using var reader = CaptureReader.Open(stream);
        var exporters = new List<string>();
        while (reader.TryRead(out var d))
        {
            exporters.Add(d.Exporter.ToString());
            Assert.Equal(local.Port, d.DestinationPort);
        }

        Assert.Equal(["::1", "127.0.0.1"], exporters);
    }

    [Fact]
    public async Task Listen_ReceiveBuffer_ForcedPastRmemMaxWhenPermittedElseCapped()
    {
        // Linux's cap and its override (the tests run on Linux).
        var rmemMax = int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var asked = Math.Max(8 << 20, rmemMax * 2) + (1 << 20);
        // CAP_NET_ADMIN lets SO_RCVBUFFORCE past net.core.rmem_max.
        var netAdmin = ExternalTools.HasCapability(12);
        var outDir = Path.Combine(Path.GetTempPath(), "reportjob-buffer-" + Guid.NewGuid().ToString("N"));
        using var stop = new CancellationTokenSource();
        try
        {
            var (run, _) = await StartOnLoopbackAsync(new ListenSettings(IPAddress.Loopback, 0, outDir, TimeSpan.FromMinutes(10), 1 << 20, asked), stop.Token);
            await stop.CancelAsync();
            var counters = await run.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(netAdmin ? asked : rmemMax, counters.ReceiveBufferBytes);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Fact]
    public void Writer_RotatesBySize_NoFileOverTheLimitAndNoDatagramLost()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "reportjob-rotate-" + Guid.NewGuid().ToString("N"));
        // Marked as NetFlow v5 (the capture reader passes only datagrams of a flow export version), numbered in byte 2.
        var payload = new byte[1000];
        payload[1] = 5;
        // 24 bytes of file header, then 16 + 20 + 8 + 1000 = 1044 bytes a datagram: in 3,140 bytes two fit (three would
        // without the header).
        var completed = new List<(string Path, long Datagrams, long Bytes)>();
        try
        {
            using (var writer = new RotatingPcapWriter(outDir, TimeSpan.FromHours(1), 3140, TimeProvider.System) { Completed = (p, d, b) => completed.Add((p, d, b)) })
            {
                for (var i = 0; i < 10; i++)
                {
                    payload[2] = (byte)i;
                    writer.Write(payload, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 2055), new IPEndPoint(IPAddress.Any, 2055));
                }
            }

            Assert.Equal([2L, 2L, 2L, 2L, 2L], completed.Select(c => c.Datagrams));
            Assert.All(completed, c => Assert.Equal(new FileInfo(c.Path).Length, c.Bytes));
            Assert.All(completed, c => Assert.Equal(2112L, c.Bytes));
            var read = new List<byte>();
            foreach (var (path, _, _) in completed)
            {
                using var stream = File.OpenRead(path);
                using var reader = CaptureReader.Open(stream);
                while (reader.TryRead(out var d))
                {
                    read.Add(d.Payload.Span[2]);
                }
            }

            Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), read);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Writer_FolderUnusable_HoldsTheDatagramsAndWritesThemOnceItIs()
    {
        var root = Path.Combine(Path.GetTempPath(), "reportjob-unusable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var folder = Path.Combine(root, "out");
        // A file where the folder should be: no capture can be created there.
        File.WriteAllText(folder, "in the way");
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        var failures = new List<(string Path, long Offset)>();
        var resumed = new List<long>();
        try
        {
            var writer = new RotatingPcapWriter(folder, TimeSpan.FromHours(1), 1 << 20, clock)
            {
                WriteFailed = (path, offset, _, _) => failures.Add((path, offset)),
                WriteResumed = (_, dropped) => resumed.Add(dropped),
            };
            var payload = new byte[500];
            payload[1] = 5;
            for (var i = 0; i < 3; i++)
            {
                payload[2] = (byte)i;
                writer.Write(payload, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 2055), new IPEndPoint(IPAddress.Any, 2055));
            }

            clock.Now += TimeSpan.FromSeconds(2);
            writer.Tick();
            Assert.Equal((0L, 0L), (writer.Written, writer.Dropped));
            Assert.StartsWith(Path.Combine(folder, "netflow-"), Assert.Single(failures).Path, StringComparison.Ordinal);

            File.Delete(folder);
            clock.Now += TimeSpan.FromSeconds(2);
            writer.Tick();
            writer.Dispose();

            Assert.Equal((3L, 0L, 1L), (writer.Written, writer.Dropped, writer.FilesCompleted));
            Assert.Equal([0L], resumed);
            using var stream = File.OpenRead(Assert.Single(Directory.GetFiles(folder)));
            using var reader = CaptureReader.Open(stream);
            var numbers = new List<byte>();
            while (reader.TryRead(out var d))
            {
                numbers.Add(d.Payload.Span[2]);
            }

            Assert.Equal([0, 1, 2], numbers);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Listen_PartialFilesOfAnEarlierRun_CompletedUnlessAWriterHoldsThem()
    {
        var folder = Path.Combine(Path.GetTempPath(), "reportjob-leftover-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Three files as a killed run leaves them: one with three datagrams and half of a fourth record, one of a
            // writer still running (another collector on the same folder), and one cut inside its file header.
            var killed = WritePartial(folder, "netflow-20261120T100000Z-0001", 3);
            var liveWriter = WritePartial(folder, "netflow-20261120T100000Z-0002", 2);
            var header = WritePartial(folder, "netflow-20261120T100000Z-0003", 0);
            var whole = new FileInfo(killed).Length;
            await using (var append = new FileStream(killed, FileMode.Append))
            {
                append.Write(new byte[10]);
            }

            File.WriteAllBytes(header, new byte[10]);
            var liveLength = new FileInfo(liveWriter).Length;
            await using var held = new FileStream(liveWriter, FileMode.Open, FileAccess.Write, FileShare.Read);

            using var stop = new CancellationTokenSource();
            var (run, _) = await StartOnLoopbackAsync(new ListenSettings(IPAddress.Loopback, 0, folder, TimeSpan.FromMinutes(10), 1 << 20, 1 << 20), stop.Token);
            await stop.CancelAsync();
            var counters = await run.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(0L, counters.Received);
            var completed = killed[..^".partial".Length];
            Assert.False(File.Exists(killed));
            Assert.Equal(whole, new FileInfo(completed).Length);
            var numbers = new List<byte>();
            using (var stream = File.OpenRead(completed))
            using (var reader = CaptureReader.Open(stream))
            {
                while (reader.TryRead(out var d))
                {
                    numbers.Add(d.Payload.Span[2]);
                }
            }

            Assert.Equal([0, 1, 2], numbers);
            Assert.Equal(liveLength, new FileInfo(liveWriter).Length);
            Assert.False(File.Exists(header));
            Assert.Equal([completed, liveWriter], Directory.GetFiles(folder).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A capture of <paramref name="datagrams"/> numbered v5 datagrams as the writer makes it, renamed back to <c>NAME.pcap.partial</c>.</summary>
    private static string WritePartial(string folder, string name, int datagrams)
    {
        var scratch = Path.Combine(folder, "scratch-" + name);
        var made = new List<string>();
        using (var writer = new RotatingPcapWriter(scratch, TimeSpan.FromHours(1), 1 << 20, TimeProvider.System) { Completed = (p, _, _) => made.Add(p) })
        {
            var payload = new byte[200];
            payload[1] = 5;
            for (var i = 0; i < datagrams; i++)
            {
                payload[2] = (byte)i;
                writer.Write(payload, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 2055), new IPEndPoint(IPAddress.Any, 2055));
            }
        }

        var partial = Path.Combine(folder, name + ".pcap.partial");
        if (made.Count == 1)
        {
            File.Move(made[0], partial);
        }
        else
        {
            File.WriteAllBytes(partial, []);
        }

        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        return partial;
    }

    [MountFact]
    public async Task Listen_DiskFull_KeepsRunningHoldsWhatFitsAndWritesOnceSpaceReturns()
    {
        // A real file system of 1.5 MB. The writer writes its buffer (1 MB) when full or at its timer's tick: what comes
        // after about 1,000 datagrams fits only in part (ENOSPC part of the way through a record), so the file must be
        // cut back to its last whole record.
        var disk = Path.Combine(Path.GetTempPath(), "reportjob-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(disk);
        ExternalTools.Run("mount", ["-t", "tmpfs", "-o", "size=1536k", "tmpfs", disk]);
        using var stop = new CancellationTokenSource();
        Task<CollectorCounters>? run = null;
        try
        {
            // Files rotate by age only (4 s; the writer's timer then ticks every second and retries a refused write).
            (run, var port) = await StartOnLoopbackAsync(new ListenSettings(IPAddress.Loopback, 0, disk, TimeSpan.FromSeconds(4), 64 << 20, 4 << 20), stop.Token);

            // 3,000 v5 datagrams of 30 flows (1,464 bytes), numbered in the header's flow sequence: up to about 1,000 go
            // to the disk, then the writer's buffer fills (695) and waits, and the rest are dropped.
            var flows = Enumerable.Range(0, 30).Select(i => new ExportPcapBuilder.Flow("10.1.0.1", "10.2.0." + i, 1000, 443, 6, 2, 100,
                new DateTime(2026, 11, 20, 9, 59, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 9, 59, 30, DateTimeKind.Utc))).ToList();
            var datagram = new ExportPcapBuilder().V5("127.0.0.1", new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), flows).ToPcap()[(24 + 16 + 42)..];
            using (var sender = new UdpClient(AddressFamily.InterNetwork))
            {
                for (var i = 0; i < 3000; i++)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(16), (uint)i);
                    await sender.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, port));
                    if (i % 100 == 99)
                    {
                        await Task.Delay(20);
                    }
                }
            }

            // The disk stays full past the file's age: it is completed with what it holds.
            await WaitUntil(() => Directory.GetFiles(disk, "*.pcap").Length > 0);
            Assert.False(run.IsCompleted, "the collector stopped on the full disk");
            var beforeSpace = ReadAndDelete(disk);

            // Space again (as when the ingest has taken the files away): the held datagrams go to a new file.
            await WaitUntil(() => Directory.GetFiles(disk).Sum(f => new FileInfo(f).Length) > 1_000_000);
            await stop.CancelAsync();
            var counters = await run.WaitAsync(TimeSpan.FromSeconds(30));
            var afterSpace = ReadAndDelete(disk);

            Assert.Equal((3000L, 0L, 0L), (counters.Received, counters.Dropped, counters.KernelDrops));
            Assert.Equal(counters.Received, counters.Written + counters.NotWritten);
            Assert.InRange(beforeSpace.Count, 1, 1100);
            Assert.InRange(afterSpace.Count, 690, 700);
            Assert.Equal(counters.Written, beforeSpace.Count + afterSpace.Count);
            // The held datagrams are the ones right after those the disk took, in order; the dropped ones came after.
            Assert.Equal(Enumerable.Range(0, (int)counters.Written).Select(i => (uint)i), beforeSpace.Concat(afterSpace));
        }
        finally
        {
            await stop.CancelAsync();
            if (run is not null)
            {
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
            }

            // Lazily, so that a failure above is what the test reports.
            ExternalTools.RunRaw("umount", ["-l", disk]);
            Directory.Delete(disk, recursive: true);
        }
    }

    /// <summary>A collector (logging nowhere) running with <paramref name="settings"/> until <paramref name="stop"/>; returns its run and the port it bound.</summary>
    private static async Task<(Task<CollectorCounters> Run, int Port)> StartOnLoopbackAsync(ListenSettings settings, CancellationToken stop)
    {
        var collector = new UdpCollector(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<UdpCollector>.Instance);
        var bound = new TaskCompletionSource<IPEndPoint>();
        collector.Bound += e => bound.TrySetResult(e);
        var run = Task.Run(() => collector.RunAsync(settings, stop));
        return (run, (await bound.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).Port);
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

    /// <summary>The flow sequence numbers of the datagrams in the folder's completed files (each read whole, in name order), which are then deleted.</summary>
    private static List<uint> ReadAndDelete(string folder)
    {
        var numbers = new List<uint>();
        foreach (var file in Directory.GetFiles(folder, "*.pcap").Order(StringComparer.Ordinal))
        {
            using (var stream = File.OpenRead(file))
            using (var reader = CaptureReader.Open(stream))
            {
                while (reader.TryRead(out var d))
                {
                    numbers.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(d.Payload.Span[16..]));
                }
            }

            File.Delete(file);
        }

        return numbers;
    }
}
