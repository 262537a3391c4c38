namespace ReportJob.NetFlow;

/// <summary>
/// Everything aggregated for one bucket (flow END time floored to the bucket length, UTC): per exporter, and the
/// number of its conversations (source, destination, protocol, service port) in the aggregator's one table of
/// conversations, counted by the ingest's decoding thread. When the bucket is handed to the writing thread, its
/// conversations move out of that table into a drain's array (<see cref="SetConversations"/>); the writer sums them per
/// host as source and as destination and per protocol/service port (every record is in exactly one conversation,
/// so those sums are the totals; <see cref="BucketTotals"/>) and turns it all into rows (<see cref="AppendRows"/>).
/// Counting hosts and ports there, not per record, takes three table lookups per record off the decoding thread.
/// </summary>
/// <param name="startTicks">The bucket's start.</param>
/// <param name="number">The aggregator's number for the bucket while it is held (its conversations' <see cref="ConversationKey.Bucket"/>).</param>
internal sealed class BucketAggregate(long startTicks, int number)
{
    private AggregateTable<ConversationKey, FlowCounters>.Entry[] _conversations = [];
    private int _offset;

    public long StartTicks { get; } = startTicks;

    public int Number { get; } = number;

    public AggregateTable<AddressKey, ExporterCounters> Exporters { get; } = new(4);

    /// <summary>Conversations counted (held in the aggregator's table until the bucket is handed over).</summary>
    public int ConversationCount { get; set; }

    /// <summary>The bucket's conversations once handed over, in the order they were first seen.</summary>
    public ReadOnlySpan<AggregateTable<ConversationKey, FlowCounters>.Entry> Conversations => _conversations.AsSpan(_offset, ConversationCount);

    public int EntryCount => Exporters.Count + ConversationCount;

    /// <summary>Where the bucket's conversations were moved to when it was handed over.</summary>
    public void SetConversations(AggregateTable<ConversationKey, FlowCounters>.Entry[] entries, int offset)
    {
        _conversations = entries;
        _offset = offset;
    }

    /// <summary>Rows of this bucket: exporters, sites (from the complete host tables), and the top N + "(other)" of hosts, conversations and ports.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendRows(FlowBatch batch, SiteResolver sites, int topN, BucketTotals totals)
    {
        totals.Sum(Conversations);
        var (sources, destinations) = (totals.Sources, totals.Destinations);

        var bucket = new DateTime(StartTicks, DateTimeKind.Utc);
        foreach (var (key, c) in Exporters)
        {
            batch.Exporters.Add(new FlowExporterRow(bucket, key.Address.ToString(), c.Scaled.Flows, c.Scaled.Packets, c.Scaled.Bytes, c.RawPackets, c.RawBytes, c.SampledFlows, c.SkippedFlows));
        }

        var siteTotals = new Dictionary<string, (FlowCounters In, FlowCounters Out)>(StringComparer.Ordinal);
        foreach (var (key, c) in sources)
        {
            ref var s = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(siteTotals, sites.Site(key.Address), out _);
            s.Out.Add(c);
        }

        foreach (var (key, c) in destinations)
        {
            ref var s = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(siteTotals, sites.Site(key.Address), out _);
            s.In.Add(c);
        }

        foreach (var (site, (i, o)) in siteTotals)
        {
            batch.Sites.Add(new FlowSiteRow(bucket, site, i, o));
        }

        TopN(sources.Entries, totals.Identity(sources.Count), topN, totals.Scratch,
            (k, c) => batch.Hosts.Add(new FlowHostRow(bucket, 0, k.Address, c.Flows, c.Packets, c.Bytes)),
            c => batch.Hosts.Add(new FlowHostRow(bucket, 0, default, c.Flows, c.Packets, c.Bytes, IsOther: true)));
        TopN(destinations.Entries, totals.Identity(destinations.Count), topN, totals.Scratch,
            (k, c) => batch.Hosts.Add(new FlowHostRow(bucket, 1, k.Address, c.Flows, c.Packets, c.Bytes)),
            c => batch.Hosts.Add(new FlowHostRow(bucket, 1, default, c.Flows, c.Packets, c.Bytes, IsOther: true)));
        TopN(Conversations, totals.Identity(ConversationCount), topN, totals.Scratch,
            (k, c) => batch.Conversations.Add(new FlowConversationRow(bucket, k.Source, k.Destination, k.Protocol, k.ServicePort, c.Flows, c.Packets, c.Bytes)),
            c => batch.Conversations.Add(new FlowConversationRow(bucket, default, default, -1, -1, c.Flows, c.Packets, c.Bytes, IsOther: true)));

        // Ports: the top N of each protocol, and an "other ports" row per protocol, so protocol totals stay exact. The
        // entries are grouped by protocol with one counting pass (in the order added within each protocol).
        var ports = totals.Ports.Entries;
        Span<int> starts = stackalloc int[257];
        foreach (ref readonly var e in ports)
        {
            starts[e.Key.Protocol + 1]++;
        }

        for (var p = 1; p <= 256; p++)
        {
            starts[p] += starts[p - 1];
        }

        var byProtocol = totals.Indexes(ports.Length);
        Span<int> next = stackalloc int[256];
        starts[..256].CopyTo(next);
        for (var i = 0; i < ports.Length; i++)
        {
            byProtocol[next[ports[i].Key.Protocol]++] = i;
        }

        for (var p = 0; p < 256; p++)
        {
            if (starts[p + 1] > starts[p])
            {
                var protocol = (byte)p;
                TopN(ports, byProtocol[starts[p]..starts[p + 1]], topN, totals.Scratch,
                    (k, c) => batch.Ports.Add(new FlowPortRow(bucket, k.Protocol, k.Port, c.Flows, c.Packets, c.Bytes)),
                    c => batch.Ports.Add(new FlowPortRow(bucket, protocol, -1, c.Flows, c.Packets, c.Bytes)));
            }
        }
    }

    /// <summary>
    /// Of the entries at <paramref name="subset"/> (their indexes, in the order added): the <paramref name="n"/> with
    /// most bytes, then one "other" sum of the rest (when there is a rest). The n-th largest byte count is selected in
    /// linear time in a buffer (<paramref name="scratch"/>: a span of at least the given length; no sort: the store's
    /// queries order what they read); of the entries equal to it, the first added are kept, the same on every run.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void TopN<TKey>(
        ReadOnlySpan<AggregateTable<TKey, FlowCounters>.Entry> entries, ReadOnlySpan<int> subset, int n, Func<int, Span<long>> scratch,
        Action<TKey, FlowCounters> keep, Action<FlowCounters> other)
        where TKey : struct, IAggregateKey<TKey>
    {
        var count = subset.Length;
        if (count <= n)
        {
            for (var i = 0; i < count; i++)
            {
                ref readonly var e = ref entries[subset[i]];
                keep(e.Key, e.Value);
            }

            return;
        }

        // The byte counts, in a copy that the selection reorders; the passes after it read the entries.
        var work = scratch(count)[..count];
        for (var i = 0; i < count; i++)
        {
            work[i] = entries[subset[i]].Value.Bytes;
        }

        var threshold = Selection.NthLargest(work, n);
        var equalToKeep = n;
        for (var i = 0; i < count; i++)
        {
            equalToKeep -= entries[subset[i]].Value.Bytes > threshold ? 1 : 0;
        }

        var rest = default(FlowCounters);
        for (var i = 0; i < count; i++)
        {
            ref readonly var e = ref entries[subset[i]];
            var bytes = e.Value.Bytes;
            if (bytes > threshold || (bytes == threshold && equalToKeep-- > 0))
            {
                keep(e.Key, e.Value);
            }
            else
            {
                rest.Add(e.Value);
            }
        }

        other(rest);
    }
}
