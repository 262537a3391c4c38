using System.Buffers.Binary;
using Dapper;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Flow = ReportJob.Tests.NetFlow.ExportPcapBuilder.Flow;

namespace ReportJob.Tests.NetFlow;

/// <summary>Bad input never crashes or hangs the ingest; a failed file names file and offset and leaves the store as it was.</summary>
public sealed class IngestRobustnessTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);

    private static byte[] GoodCapture()
    {
        var builder = new ExportPcapBuilder();
        var flows = Enumerable.Range(1, 90).Select(i => new Flow($"10.1.0.{i}", "10.2.0.1", 40000, (ushort)(i % 20), 6, 3, 300, T0, T0.AddSeconds(i))).ToList();
        builder.V9("192.0.2.1", T0.AddMinutes(2), flows.Take(30).ToList());
        builder.V5("192.0.2.2", T0.AddMinutes(2), flows.Skip(30).Take(30).ToList());
        builder.V9("192.0.2.1", T0.AddMinutes(3), flows.Skip(60).ToList(), withTemplate: false);
        return builder.ToPcap();
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Ingest_CaptureCutInItsLastRecord_IngestsUpToTheCutWithAWarningNamingTheOffset(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var good = GoodCapture();
        var cut = Path.Combine(db.Directory, "cut.pcap");
        await File.WriteAllBytesAsync(cut, good[..(good.Length - 20)]);
        // The last datagram (30 v9 records) is the one cut.
        long last = 0;
        using (var reader = CaptureReader.Open(new MemoryStream(good)))
        {
            while (reader.TryRead(out var datagram))
            {
                last = datagram.FileOffset;
            }
        }

        var outcome = await db.Get<FlowIngestor>().IngestFileAsync(cut, default);

        Assert.Equal((IngestStatus.Ingested, 2L, 60L), (outcome.Status, outcome.Datagrams, outcome.FlowRecords));
        Assert.Contains($"cut.pcap: the capture is cut short in the middle of its last record at byte offset {last}", outcome.Warning, StringComparison.Ordinal);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        Assert.Equal([last, last], await c.QueryAsync<long>("SELECT capture_cut_at FROM flow_quality ORDER BY exporter"));
        Assert.Equal(60L * 300, (await Snapshot(db)).Bytes);
        Assert.Equal(1, (await db.Get<FlowQueries>().QualityAsync(null, null, default)).CutFiles);
    }

    [Fact]
    public async Task Ingest_Garbage_FailsWithReason()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var garbage = Path.Combine(db.Directory, "garbage.pcap");
        await File.WriteAllBytesAsync(garbage, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251))]);
        var empty = Path.Combine(db.Directory, "empty.pcap");
        await File.WriteAllBytesAsync(empty, []);

        var outcomes = await db.Get<FlowIngestor>().IngestFilesAsync([garbage, empty], default);

        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Failed, o.Status));
        Assert.Contains("offset 0", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, (await Snapshot(db)).Ledger);
    }

    [Fact]
    public async Task Ingest_MutatedCaptures_NeverThrowOrHang_FailuresLeaveNothing()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var good = GoodCapture();
        var random = new Random(1234);
        var ingestor = db.Get<FlowIngestor>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 200; round++)
        {
            var mutated = (byte[])good.Clone();
            var flips = 1 + random.Next(8);
            for (var i = 0; i < flips; i++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                mutated = mutated[..random.Next(mutated.Length)];
            }

            var before = await Snapshot(db);
            var path = Path.Combine(db.Directory, $"m{round}.pcap");
            await File.WriteAllBytesAsync(path, mutated);
            var outcome = await ingestor.IngestFileAsync(path, default);
            if (outcome.Status == IngestStatus.Failed)
            {
                Assert.Contains($"m{round}.pcap", outcome.Error, StringComparison.Ordinal);
                Assert.Equal(before, await Snapshot(db));
            }
        }

        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"200 mutated captures took {watch.Elapsed}");
    }

    [Fact]
    public async Task IngestInbox_GoodBadAndPartial_MovedToDoneAndFailedWithReason()
    {
        var inbox = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "inbox");
        Directory.CreateDirectory(inbox);
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["NetFlow:InboxPath"] = inbox });
        await File.WriteAllBytesAsync(Path.Combine(inbox, "a.pcap"), GoodCapture());
        // A pcap whose first record claims more than any frame may hold: malformed, not merely cut short.
        var bad = GoodCapture()[..100];
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(24 + 8), 0x7FFF_FFFF);
        await File.WriteAllBytesAsync(Path.Combine(inbox, "b.pcap"), bad);
        await File.WriteAllBytesAsync(Path.Combine(inbox, "c.pcap.partial"), GoodCapture());
        await File.WriteAllBytesAsync(Path.Combine(inbox, "d.pcap"), GoodCapture()[..^20]);

        var outcomes = await db.Get<FlowIngestor>().IngestInboxAsync(default);

        Assert.Equal([IngestStatus.Ingested, IngestStatus.Failed, IngestStatus.Ingested], outcomes.Select(o => o.Status));
        Assert.True(File.Exists(Path.Combine(inbox, "done", "a.pcap")));
        Assert.True(File.Exists(Path.Combine(inbox, "failed", "b.pcap")));
        Assert.Contains("offset 24", await File.ReadAllTextAsync(Path.Combine(inbox, "failed", "b.pcap.reason.txt")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(inbox, "c.pcap.partial")));
        Assert.True(File.Exists(Path.Combine(inbox, "done", "d.pcap")));
        Assert.NotNull(outcomes[2].Warning);
        Directory.Delete(Path.GetDirectoryName(inbox)!, recursive: true);
    }

    [Fact]
    public async Task Ingest_DatabaseFailsWhileDrainsAreInFlight_ErrorSurfacesNothingStoredAndRetryWorks()
    {
        // A small memory budget makes the decoding thread hand many drains to the writer; the store starts failing on
        // the writer's thread after a few of them, while the decoding thread may be waiting on the full channel.
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, new Dictionary<string, string?> { ["NetFlow:MaxEntriesInMemory"] = "1000" });
        var builder = new ExportPcapBuilder();
        var flows = Enumerable.Range(0, 6000).Select(i => new Flow($"10.1.{i / 250}.{(i % 250) + 1}", $"10.2.{i % 50}.1", 40000, (ushort)(i % 700), 6, 3, 300, T0, T0.AddSeconds(i % 3000))).ToList();
        foreach (var chunk in flows.Chunk(30))
        {
            builder.V5("192.0.2.1", T0.AddMinutes(55), chunk);
        }

        var file = Path.Combine(db.Directory, "big.pcap");
        await File.WriteAllBytesAsync(file, builder.ToPcap());
        var before = await Snapshot(db);
        await FailInsertsFromAsync(db, "flow_conversation", 2000);

        await AssertIngestFailsAsync(db, file, before);
        await using (var c = await db.Get<IDbConnectionFactory>().OpenAsync(default))
        {
            await c.ExecuteAsync("DROP TRIGGER fail_late");
        }

        var retry = await db.Get<FlowIngestor>().IngestFileAsync(file, default);
        Assert.Equal((IngestStatus.Ingested, 6000L), (retry.Status, retry.FlowRecords));
        Assert.Equal(6000L * 300, (await Snapshot(db)).Bytes);
    }

    /// <summary>
    /// The last drain of a file is made into rows by the decoding thread, in parts the writer writes while the next is
    /// made; the store fails on the fourth part's write (a drain of 288 buckets: over 100,000 rows, about half of them
    /// hosts, in parts of 20,000). The error surfaces instead of the decoding thread waiting for a part that is never
    /// written (it did, before the writer woke it on failure), and nothing stays.
    /// </summary>
    [Fact]
    public async Task Ingest_DatabaseFailsWhileTheLastRowsAreWrittenInParts_ErrorSurfacesNothingStored()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var file = Path.Combine(db.Directory, "spread.pcap");
        SampleCapture.Write(file, 40_000, endSpreadSeconds: 86_400);
        var before = await Snapshot(db);
        await FailInsertsFromAsync(db, "flow_host", 35_000);

        await AssertIngestFailsAsync(db, file, before);
    }

    /// <summary>Makes the store refuse inserts into <paramref name="table"/> once it holds <paramref name="rows"/> rows ("disk full").</summary>
    private static async Task FailInsertsFromAsync(TestDatabase db, string table, int rows)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        await c.ExecuteAsync($"""
            CREATE TRIGGER fail_late BEFORE INSERT ON {table} WHEN (SELECT COUNT(*) FROM {table}) >= {rows}
            BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END
            """);
    }

    /// <summary>The ingest surfaces the store's error within a minute (no thread left waiting) and leaves the store as it was.</summary>
    private static async Task AssertIngestFailsAsync(TestDatabase db, string file, (long, long, long, long, long) before)
    {
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => db.Get<FlowIngestor>().IngestFileAsync(file, default).WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Contains("disk full (test)", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot(db));
    }

    private static async Task<(long Ledger, long Exporter, long Hosts, long Quality, long Bytes)> Snapshot(TestDatabase db)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ingest_ledger"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flow_exporter"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flow_host"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM flow_quality"),
            await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(bytes), 0) FROM flow_exporter"));
    }
}
