using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

/// <summary>The ingest's aggregation pieces against plain references: the hash table, the selection, the packed scan evidence.</summary>
public sealed class AggregationTests
{
    [Fact]
    public void AggregateTable_RandomKeysThroughGrowthAndReuse_SameSumsAsDictionary()
    {
        var random = new Random(5);
        var table = new AggregateTable<ConversationKey, FlowCounters>(16);
        for (var round = 0; round < 3; round++)
        {
            var reference = new Dictionary<ConversationKey, long>();
            for (var i = 0; i < 50_000; i++)
            {
                // Few distinct values per field: many repeats, and IPv4 and IPv6 keys side by side.
                var source = random.Next(4) == 0 ? FlowAddress.Parse($"2001:db8::{random.Next(30):x}") : FlowAddress.FromIPv4((uint)random.Next(300));
                var key = new ConversationKey(source, FlowAddress.FromIPv4((uint)random.Next(20)), (byte)random.Next(3), (ushort)random.Next(40));
                var bytes = random.Next(1, 1000);
                table.GetOrAdd(key).Add(1, 1, bytes);
                reference[key] = reference.GetValueOrDefault(key) + bytes;
            }

            Assert.Equal(reference.Count, table.Count);
            foreach (var (key, c) in table)
            {
                Assert.Equal(reference[key], c.Bytes);
            }

            Assert.Equal(reference.Keys.ToHashSet(), table.Entries.ToArray().Select(e => e.Key).ToHashSet());
            var absent = new ConversationKey(FlowAddress.Parse("192.0.2.99"), FlowAddress.None, 200, 1);
            Assert.True(Unsafe.IsNullRef(ref table.Find(absent)));
            table.Clear();
            Assert.Equal(0, table.Count);
            foreach (var _ in table)
            {
                Assert.Fail("A cleared table enumerates nothing");
            }
        }
    }

    /// <summary>
    /// Many drains over many buckets, given back as the ingest's writer does: a few arrays serve every drain, and
    /// nothing is lost or counted twice on the way.
    /// </summary>
    [Fact]
    public void Aggregator_DrainsGivenBack_ArraysReusedAndTotalsExact()
    {
        var ingest = new InlineIngest(budget: 1000);
        var t0 = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 60_000; i++)
        {
            // 20 records a second over 50 minutes: ten buckets, each well over the budget.
            var end = t0.AddSeconds(i / 20);
            ingest.Add(new FlowRecord
            {
                Exporter = FlowAddress.FromIPv4(0xC0000201), SourceAddress = FlowAddress.FromIPv4(0x0A000000u + (uint)i), DestinationAddress = FlowAddress.FromIPv4(0x0A010001),
                Protocol = 6, DestinationPort = 443, TcpFlags = 0x10, FlowCount = 1, Packets = 10, Bytes = 100 + (ulong)(i % 7), StartUtc = end, EndUtc = end,
            });
        }

        ingest.Finish();

        var exporters = ingest.Batches.SelectMany(b => b.Exporters).ToList();
        Assert.Equal(60_000, exporters.Sum(e => e.Flows));
        Assert.Equal(Enumerable.Range(0, 60_000).Sum(i => 100L + (i % 7)), exporters.Sum(e => e.Bytes));
        Assert.True(ingest.Batches.Count >= 50, $"{ingest.Batches.Count} drains");
        Assert.InRange(ingest.Aggregator.DrainArraysAllocated, 1, 4);
    }

    /// <summary>
    /// Records falling at random into forty buckets at once (an exporter reporting long flows late), drained over and over
    /// under a small budget: each bucket's conversation and source rows still sum to exactly its records.
    /// </summary>
    [Fact]
    public void Aggregator_RecordsSpreadOverManyBuckets_EachBucketsConversationsExact()
    {
        var ingest = new InlineIngest(budget: 500);
        var t0 = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(3);
        var expected = new Dictionary<DateTime, long>();
        for (var i = 0; i < 40_000; i++)
        {
            var end = t0.AddSeconds(random.Next(40 * 300));
            var bytes = (ulong)random.Next(1, 5000);
            // Few hosts and ports: many records fall into a conversation already held.
            ingest.Add(new FlowRecord
            {
                Exporter = FlowAddress.FromIPv4(0xC0000201), SourceAddress = FlowAddress.FromIPv4(0x0A000000u + (uint)random.Next(60)),
                DestinationAddress = FlowAddress.FromIPv4(0x0A010000u + (uint)random.Next(5)), Protocol = 6, DestinationPort = (ushort)random.Next(1, 4),
                TcpFlags = 0x10, FlowCount = 1, Packets = 10, Bytes = bytes, StartUtc = end, EndUtc = end,
            });
            var bucket = new DateTime(end.Ticks - (end.Ticks % ingest.Settings.BucketTicks), DateTimeKind.Utc);
            expected[bucket] = expected.GetValueOrDefault(bucket) + (long)bytes;
        }

        ingest.Finish();

        static List<KeyValuePair<DateTime, long>> PerBucket(IEnumerable<(DateTime Bucket, long Bytes)> rows) =>
            rows.GroupBy(r => r.Bucket).Select(g => KeyValuePair.Create(g.Key, g.Sum(r => r.Bytes))).OrderBy(kv => kv.Key).ToList();
        Assert.Equal(40, expected.Count);
        Assert.Equal(expected.OrderBy(kv => kv.Key), PerBucket(ingest.Batches.SelectMany(b => b.Conversations).Select(r => (r.BucketStart, r.Bytes))));
        Assert.Equal(expected.OrderBy(kv => kv.Key), PerBucket(ingest.Batches.SelectMany(b => b.Hosts).Where(h => h.Role == 0).Select(r => (r.BucketStart, r.Bytes))));
    }

    /// <summary>
    /// A drain made into rows in parts (as the ingest's writer does when a drain makes many rows) gives the same rows in
    /// the same order as in one batch, each part stopping at the first bucket boundary past the limit, and the scan
    /// evidence in the last part.
    /// </summary>
    [Fact]
    public void Drain_RowsInParts_SameRowsAsOneBatch()
    {
        var settings = new IngestSettings(new NetFlowOptions());
        var aggregator = new FlowAggregator(settings);
        var t0 = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(7);
        for (var i = 0; i < 6000; i++)
        {
            var end = t0.AddSeconds(random.Next(30 * 300));
            // Tiny flows without ACK from one source: scan evidence too.
            aggregator.Add(new FlowRecord
            {
                Exporter = FlowAddress.FromIPv4(0xC0000201), SourceAddress = FlowAddress.FromIPv4(0x0A000000u + (uint)random.Next(i % 3 == 0 ? 1 : 400)),
                DestinationAddress = FlowAddress.FromIPv4(0x0A010000u + (uint)random.Next(300)), Protocol = (byte)(i % 5 == 0 ? 17 : 6),
                DestinationPort = (ushort)random.Next(1, 2000), FlowCount = 1, Packets = 1, Bytes = (ulong)random.Next(40, 5000), StartUtc = end, EndUtc = end,
            }, out _);
        }

        var drain = aggregator.TakeAll();
        var resolver = new SiteResolver(ReportJob.Sites.SiteMap.Empty);
        var totals = new BucketTotals();
        var parts = new List<FlowBatch>();
        var next = 0;
        bool done;
        do
        {
            var part = new FlowBatch();
            done = drain.AppendRows(part, ref next, resolver, settings.TopN, totals, maxRows: 1000);
            parts.Add(part);
        }
        while (!done);

        var whole = drain.ToBatch(resolver, settings.TopN, totals);
        Assert.InRange(parts.Count, 5, 30);
        Assert.All(parts.SkipLast(1), p => Assert.InRange(p.RowCount, 1000, 1600));
        Assert.NotEmpty(whole.ScanEvidence);
        Assert.All(parts.SkipLast(1), p => Assert.Empty(p.ScanEvidence));
        Assert.Equal(whole.Exporters, parts.SelectMany(p => p.Exporters));
        Assert.Equal(whole.Hosts, parts.SelectMany(p => p.Hosts));
        Assert.Equal(whole.Conversations, parts.SelectMany(p => p.Conversations));
        Assert.Equal(whole.Ports, parts.SelectMany(p => p.Ports));
        Assert.Equal(whole.Sites, parts.SelectMany(p => p.Sites));
        Assert.Equal(whole.ScanEvidence.Select(r => (r.Source, r.Flows)), parts[^1].ScanEvidence.Select(r => (r.Source, r.Flows)));
    }

    /// <summary>
    /// An aggregator under a small budget with the ingest's writer played in line: every few records over the budget,
    /// a drain is made into rows (kept in <see cref="Batches"/>) and its array given back.
    /// </summary>
    private sealed class InlineIngest(int budget)
    {
        private readonly SiteResolver _resolver = new(ReportJob.Sites.SiteMap.Empty);
        private readonly BucketTotals _totals = new();
        private int _records;

        public IngestSettings Settings { get; } = new(new NetFlowOptions { MaxEntriesInMemory = budget });

        public FlowAggregator Aggregator => field ??= new FlowAggregator(Settings);

        public List<FlowBatch> Batches { get; } = [];

        public void Add(in FlowRecord record)
        {
            Aggregator.Add(record, out _);
            if (++_records % 64 == 0 && Aggregator.EntryCount >= Settings.MaxEntriesInMemory)
            {
                Write(Aggregator.TakeOverBudget());
            }
        }

        public void Finish() => Write(Aggregator.TakeAll());

        private void Write(FlowDrain drain)
        {
            Batches.Add(drain.ToBatch(_resolver, Settings.TopN, _totals));
            Aggregator.ReturnConversations(drain);
        }
    }

    /// <summary>MoveOut against a reference: every entry either moves to its group's place, in order, or stays findable with its sum.</summary>
    [Fact]
    public void AggregateTable_MoveOut_GroupsMovedInOrderAndTheRestStillFound()
    {
        var random = new Random(11);
        var table = new AggregateTable<PortKey, long>(16);
        var reference = new Dictionary<PortKey, long>();
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 2000; i++)
            {
                var key = new PortKey((byte)random.Next(8), (ushort)random.Next(500));
                table.GetOrAdd(key) += i;
                reference[key] = reference.GetValueOrDefault(key) + i;
            }

            // Protocols 0-2 move out, grouped by protocol; the others stay.
            var order = table.Entries.ToArray().Select(e => e.Key).ToList();
            var counts = Enumerable.Range(0, 3).Select(p => order.Count(k => k.Protocol == p)).ToArray();
            var next = new[] { 0, counts[0], counts[0] + counts[1] };
            var target = new AggregateTable<PortKey, long>.Entry[counts.Sum()];
            table.MoveOut(new ProtocolGroup(), target, next);

            var moved = target.Select(e => e.Key).ToList();
            Assert.Equal(order.Where(k => k.Protocol < 3).OrderBy(k => k.Protocol).ToList(), moved);
            Assert.All(target, e => Assert.Equal(reference[e.Key], e.Value));
            Assert.Equal(order.Where(k => k.Protocol >= 3).ToList(), table.Entries.ToArray().Select(e => e.Key).ToList());
            foreach (var k in order)
            {
                Assert.Equal(k.Protocol >= 3, !Unsafe.IsNullRef(ref table.Find(k)));
            }

            foreach (var k in moved)
            {
                reference.Remove(k);
            }
        }
    }

    private readonly struct ProtocolGroup : IEntryGroup<PortKey>
    {
        public int Of(in PortKey key) => key.Protocol < 3 ? key.Protocol : -1;
    }

    [Fact]
    public void AggregateTable_Released_EmptyAndGrowsAgainWithExactSums()
    {
        var table = new AggregateTable<PortKey, long>(50_000);
        for (var i = 0; i < 40_000; i++)
        {
            table.GetOrAdd(new PortKey((byte)(i % 3), (ushort)(i / 3))) += 1;
        }

        table.Release();

        Assert.Equal(0, table.Count);
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(new PortKey(0, 0))));
        var expected = new Dictionary<PortKey, long>();
        var random = new Random(7);
        for (var i = 0; i < 30_000; i++)
        {
            var key = new PortKey((byte)random.Next(4), (ushort)random.Next(5_000));
            table.GetOrAdd(key) += i;
            expected[key] = expected.GetValueOrDefault(key) + i;
        }

        Assert.Equal(expected.Count, table.Count);
        Assert.All(expected, kv => Assert.Equal(kv.Value, table.Find(kv.Key)));
    }

    [Fact]
    public void AggregateTable_GetOrAdd_SaysWhetherTheKeyWasNew()
    {
        var table = new AggregateTable<PortKey, long>();
        table.GetOrAdd(new PortKey(6, 443), out var first) += 5;
        table.GetOrAdd(new PortKey(6, 443), out var second) += 7;

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(12, table.Find(new PortKey(6, 443)));
    }

    [Fact]
    public void NthLargest_AnyArrayAndRank_EqualsTheSortedElement()
    {
        var gen =
            from values in Gen.NonEmptyListOf(Gen.Choose(-5, 20))
            from n in Gen.Choose(1, values.Count)
            select (values.Select(v => (long)v).ToArray(), n);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (values, n) = t;
            var expected = values.OrderDescending().ElementAt(n - 1);
            return Selection.NthLargest(values.ToArray(), n) == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void NthLargest_RankOutsideTheArray_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Selection.NthLargest([1, 2], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Selection.NthLargest([1, 2], 3));
    }

    [Fact]
    public void ScanEvidence_PackedAndAddedTwice_SumsPerTarget()
    {
        var v4 = FlowAddress.Parse("10.1.2.3");
        var v6 = FlowAddress.Parse("2001:db8::7");
        var hosts = ScanEvidence.PackHosts([(v4, 3), (v6, 1)]);
        var ports = ScanEvidence.PackPorts([((6 << 16) | 22, 2), ((17 << 16) | 53, 9)]);
        var hostSums = new Dictionary<FlowAddress, long>();
        var portSums = new Dictionary<int, long>();

        ScanEvidence.AddHosts(hosts, hostSums);
        ScanEvidence.AddHosts(hosts, hostSums);
        ScanEvidence.AddPorts(ports, portSums);

        Assert.Equal(2 * ScanEvidence.HostEntryLength, hosts.Length);
        Assert.Equal(new Dictionary<FlowAddress, long> { [v4] = 6, [v6] = 2 }, hostSums);
        Assert.Equal(new Dictionary<int, long> { [(6 << 16) | 22] = 2, [(17 << 16) | 53] = 9 }, portSums);
    }

    [Fact]
    public void ScanEvidence_CutEntry_FailsNamingTheColumn()
    {
        var hosts = ScanEvidence.PackHosts([(FlowAddress.Parse("10.1.2.3"), 3)]);

        var error = Assert.Throws<FormatException>(() => ScanEvidence.AddHosts(hosts.AsSpan(0, 20), []));

        Assert.Contains("flow_scan_evidence.hosts", error.Message, StringComparison.Ordinal);
    }
}
