using System.Runtime.InteropServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Aggregates decoded flow records in memory, per bucket (flow END time floored to the bucket length, UTC): per
/// exporter, per host as source and as destination, per conversation, per protocol/destination port, plus scan
/// evidence. Keys are value types (no string per record). <see cref="Drain"/> turns the tables into rows, keeping the
/// top N per bucket and an "(other)" row, and empties them; the caller drains when <see cref="EntryCount"/> grows
/// past the memory budget and at the end of each file.
/// </summary>
internal sealed class FlowAggregator
{
    public const string Other = "(other)";

    // One record's counters are capped so that sums of many records cannot overflow 64 bits: a flow of more than
    // 2^48 bytes (256 TiB) or packets is garbage from a malformed or hostile export, not traffic.
    private const long MaxCounter = 1L << 48;
    private const long HourTicks = TimeSpan.TicksPerHour;

    private readonly IngestSettings _settings;
    private readonly Dictionary<ExporterKey, ExporterCounters> _exporters = [];
    private readonly Dictionary<HostKey, FlowCounters> _sources = [];
    private readonly Dictionary<HostKey, FlowCounters> _destinations = [];
    private readonly Dictionary<ConversationKey, FlowCounters> _conversations = [];
    private readonly Dictionary<PortKey, FlowCounters> _ports = [];
    private readonly ScanTracker _scans;
    private readonly long _bucketTicks;
    private readonly int _scanMaxPackets;
    private FlowAddress _lastExporter;
    private ExporterPolicy _lastPolicy;
    private bool _hasLast;

    public FlowAggregator(IngestSettings settings)
    {
        _settings = settings;
        _scans = new ScanTracker(settings.Scan);
        _bucketTicks = settings.BucketTicks;
        _scanMaxPackets = settings.Scan.MaxPackets;
    }

    /// <summary>Records counted (after the direction policy), since creation.</summary>
    public long FlowRecords { get; private set; }

    /// <summary>Records left out by the direction policy, since creation.</summary>
    public long SkippedRecords { get; private set; }

    public int EntryCount => _exporters.Count + _sources.Count + _destinations.Count + _conversations.Count + _ports.Count + _scans.EntryCount;

    /// <summary>Counts one record; returns false when the direction policy leaves it out.</summary>
    public bool Add(in FlowRecord r, out uint sampling)
    {
        if (!_hasLast || r.Exporter != _lastExporter)
        {
            _lastPolicy = _settings.PolicyFor(r.Exporter);
            _lastExporter = r.Exporter;
            _hasLast = true;
        }

        var policy = _lastPolicy;
        var endTicks = r.EndUtc.Ticks;
        var bucket = endTicks - (endTicks % _bucketTicks);
        ref var e = ref CollectionsMarshal.GetValueRefOrAddDefault(_exporters, new ExporterKey(bucket, r.Exporter), out _);
        var flows = (long)Math.Min(r.FlowCount, MaxCounter);
        // RFC 7011 IE 61 / v9 DIRECTION: 0 ingress, 1 egress; a record without the field always counts.
        if ((policy.Direction == DirectionPolicy.IngressOnly && r.Direction == FlowDirection.Egress)
            || (policy.Direction == DirectionPolicy.EgressOnly && r.Direction == FlowDirection.Ingress))
        {
            e.SkippedFlows += flows;
            SkippedRecords++;
            sampling = 0;
            return false;
        }

        sampling = r.SamplingInterval;
        if (sampling <= 1 && !policy.SamplingOverridden)
        {
            sampling = policy.DefaultSampling;
        }

        var rawPackets = (long)Math.Min(r.Packets, MaxCounter);
        var rawBytes = (long)Math.Min(r.Bytes, MaxCounter);
        var packets = rawPackets * sampling;
        var bytes = rawBytes * sampling;
        e.Scaled.Add(flows, packets, bytes);
        e.RawPackets += rawPackets;
        e.RawBytes += rawBytes;
        if (sampling > 1)
        {
            e.SampledFlows += flows;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_sources, new HostKey(bucket, r.SourceAddress), out _).Add(flows, packets, bytes);
        CollectionsMarshal.GetValueRefOrAddDefault(_destinations, new HostKey(bucket, r.DestinationAddress), out _).Add(flows, packets, bytes);
        CollectionsMarshal.GetValueRefOrAddDefault(_conversations, new ConversationKey(bucket, r.SourceAddress, r.DestinationAddress, r.Protocol, r.DestinationPort), out _)
            .Add(flows, packets, bytes);
        CollectionsMarshal.GetValueRefOrAddDefault(_ports, new PortKey(bucket, r.Protocol, r.DestinationPort), out _).Add(flows, packets, bytes);

        // Scan evidence: tiny flows (unsampled packet count) that look like probes: no TCP ACK ever seen (SYN scans,
        // RSTs; a short exchange on an established connection has ACKs), and not a reply of a service (a TCP/UDP flow
        // from a well-known port to an ephemeral one), which would otherwise flag every busy DNS or web server.
        if (rawPackets <= _scanMaxPackets && !IsServiceReply(r) && (r.Protocol != 6 || (r.TcpFlags & 0x10) == 0))
        {
            _scans.Add(endTicks - (endTicks % HourTicks), r.SourceAddress, r.DestinationAddress, r.Protocol, r.DestinationPort, flows, r.StartUtc.Ticks, endTicks);
        }

        FlowRecords++;
        return true;
    }

    /// <summary>Rows of everything aggregated since the last drain (top N + other per bucket); empties the tables.</summary>
    public FlowBatch Drain(SiteResolver sites)
    {
        var batch = new FlowBatch();
        foreach (var (key, c) in _exporters)
        {
            batch.Exporters.Add(new FlowExporterRow(Utc(key.Bucket), key.Exporter.ToString(), c.Scaled.Flows, c.Scaled.Packets, c.Scaled.Bytes, c.RawPackets, c.RawBytes, c.SampledFlows, c.SkippedFlows));
        }

        // Sites from the complete host tables, before they are cut to the top N.
        var siteTotals = new Dictionary<(long Bucket, string Site), (FlowCounters In, FlowCounters Out)>();
        foreach (var (key, c) in _sources)
        {
            ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(siteTotals, (key.Bucket, sites.Site(key.Address)), out _);
            s.Out.Add(c);
        }

        foreach (var (key, c) in _destinations)
        {
            ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(siteTotals, (key.Bucket, sites.Site(key.Address)), out _);
            s.In.Add(c);
        }

        foreach (var ((bucket, site), (i, o)) in siteTotals)
        {
            batch.Sites.Add(new FlowSiteRow(Utc(bucket), site, i, o));
        }

        var n = _settings.TopN;
        TopN(_sources, k => k.Bucket, n,
            (k, c) => batch.Hosts.Add(new FlowHostRow(Utc(k.Bucket), 0, k.Address.ToString(), c.Flows, c.Packets, c.Bytes)),
            (g, c) => batch.Hosts.Add(new FlowHostRow(Utc(g), 0, Other, c.Flows, c.Packets, c.Bytes)));
        TopN(_destinations, k => k.Bucket, n,
            (k, c) => batch.Hosts.Add(new FlowHostRow(Utc(k.Bucket), 1, k.Address.ToString(), c.Flows, c.Packets, c.Bytes)),
            (g, c) => batch.Hosts.Add(new FlowHostRow(Utc(g), 1, Other, c.Flows, c.Packets, c.Bytes)));
        TopN(_conversations, k => k.Bucket, n,
            (k, c) => batch.Conversations.Add(new FlowConversationRow(Utc(k.Bucket), k.Source.ToString(), k.Destination.ToString(), k.Protocol, k.DestinationPort, c.Flows, c.Packets, c.Bytes)),
            (g, c) => batch.Conversations.Add(new FlowConversationRow(Utc(g), Other, Other, -1, -1, c.Flows, c.Packets, c.Bytes)));
        // Ports are grouped per bucket AND protocol (group = bucket number * 256 + protocol), so the "other" row keeps
        // its protocol and protocol totals stay exact.
        var bucketTicks = _bucketTicks;
        TopN(_ports, k => (k.Bucket / bucketTicks * 256) + k.Protocol, n,
            (k, c) => batch.Ports.Add(new FlowPortRow(Utc(k.Bucket), k.Protocol, k.Port, c.Flows, c.Packets, c.Bytes)),
            (g, c) => batch.Ports.Add(new FlowPortRow(Utc(g / 256 * bucketTicks), (int)(g % 256), -1, c.Flows, c.Packets, c.Bytes)));
        _scans.Drain(batch.ScanTargets);

        _exporters.Clear();
        _sources.Clear();
        _destinations.Clear();
        _conversations.Clear();
        _ports.Clear();
        return batch;
    }

    private static bool IsServiceReply(in FlowRecord r) =>
        r.Protocol is 6 or 17 && r.SourcePort is > 0 and < 1024 && r.DestinationPort >= 1024;

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>Per group, the <paramref name="n"/> entries with most bytes, then one "other" sum of the rest.</summary>
    private static void TopN<TKey>(Dictionary<TKey, FlowCounters> table, Func<TKey, long> group, int n, Action<TKey, FlowCounters> keep, Action<long, FlowCounters> other)
        where TKey : notnull
    {
        if (table.Count == 0)
        {
            return;
        }

        var entries = new (long Group, TKey Key, FlowCounters Counters)[table.Count];
        var i = 0;
        foreach (var (key, c) in table)
        {
            entries[i++] = (group(key), key, c);
        }

        Array.Sort(entries, static (a, b) => a.Group != b.Group ? a.Group.CompareTo(b.Group) : b.Counters.Bytes.CompareTo(a.Counters.Bytes));
        var start = 0;
        while (start < entries.Length)
        {
            var g = entries[start].Group;
            var end = start;
            var rest = default(FlowCounters);
            var hasRest = false;
            for (; end < entries.Length && entries[end].Group == g; end++)
            {
                if (end - start < n)
                {
                    keep(entries[end].Key, entries[end].Counters);
                }
                else
                {
                    rest.Add(entries[end].Counters);
                    hasRest = true;
                }
            }

            if (hasRest)
            {
                other(g, rest);
            }

            start = end;
        }
    }
}
