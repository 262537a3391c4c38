using System.Runtime.CompilerServices;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// Aggregates decoded flow records in memory: one <see cref="BucketAggregate"/> per bucket (flow END time floored to
/// the bucket length, UTC) and one <see cref="HourDetections"/> per hour of detection evidence. Keys are value types (no
/// string per record). When <see cref="EntryCount"/> passes the memory budget, <see cref="TakeOverBudget"/> hands the
/// oldest buckets (exports arrive roughly in time order, so those are complete) to the writer; <see cref="TakeAll"/>
/// hands over the rest at the end of a file. A bucket that gets records after it was handed over starts afresh; the
/// store sums the rows of a key, so totals stay exact and only the top-N cut of the late part is separate.
/// The conversations of all buckets held are in one table (keyed with the bucket's number), so the memory they take
/// follows the entries held, however many buckets they fall into: with a table per bucket, each sized for the largest
/// bucket so far, flows ending up to 30 minutes before their export (seven buckets filled at once) held 121 MB of
/// tables for a 250,000-entry budget. Handing buckets over moves their conversations out into one array per drain,
/// which the writer gives back once it has made the rows (<see cref="ReturnConversations"/>), for a later drain.
/// </summary>
internal sealed class FlowAggregator
{
    public const string Other = "(other)";

    // One record's counters are capped so that sums of many records cannot overflow 64 bits: a flow of more than
    // 2^48 bytes (256 TiB) or packets is garbage from a malformed or hostile export, not traffic.
    private const long MaxCounter = 1L << 48;
    private const long HourTicks = TimeSpan.TicksPerHour;
    private const int PrefetchDistance = 16;
    private const int MaxSpareArrays = 2;
    private const ushort TcpSyn = 0x02;
    private const ushort TcpAck = 0x10;

    private readonly IngestSettings _settings;
    private readonly Dictionary<long, BucketAggregate> _buckets = [];
    private readonly Dictionary<long, HourDetections> _detections = [];
    private readonly AggregateTable<ConversationKey, FlowCounters> _conversations;
    // A drain's group of each bucket number from the drain's lowest (-1: the bucket stays), reused from drain to drain.
    private int[] _drainGroups = [];
    // Arrays given back by the writer for later drains: one drain may wait while another's rows are made.
    private readonly List<AggregateTable<ConversationKey, FlowCounters>.Entry[]> _spares = [];
    private readonly long _bucketTicks;
    private readonly int _probeMaxPackets;
    // One bit per port (8 KB, which stays in the core's cache; a bool per port would not).
    private readonly ulong[] _mailPorts = new ulong[65_536 / 64];
    private int _nextBucketNumber;
    private BucketAggregate? _bucket;
    private HourDetections? _hour;
    private FlowAddress _lastExporter;
    private ExporterPolicy _lastPolicy;
    private bool _hasLast;
    private readonly PendingFlow[] _pending = new PendingFlow[PrefetchDistance];
    private int _pendingHead;
    private int _pendingCount;

    /// <param name="settings">The ingest's settings.</param>
    /// <param name="expectedRecords">
    /// About how many records are coming (from the capture's size): the conversation table starts large enough for them,
    /// up to the budget and the few datagrams it may be passed by, instead of growing through copies of itself.
    /// </param>
    public FlowAggregator(IngestSettings settings, long expectedRecords = 0)
    {
        _settings = settings;
        var budget = (long)settings.MaxEntriesInMemory;
        _conversations = new((int)Math.Min(Math.Max(expectedRecords, 4096), budget + (budget / 16)));
        _bucketTicks = settings.BucketTicks;
        _probeMaxPackets = settings.Scan.MaxPackets;
        foreach (var port in settings.Mail.Ports)
        {
            _mailPorts[port >> 6] |= 1UL << port;
        }
    }

    /// <summary>Records counted (after the direction policy), since creation.</summary>
    public long FlowRecords { get; private set; }

    /// <summary>Records left out by the direction policy, since creation.</summary>
    public long SkippedRecords { get; private set; }

    /// <summary>Drain arrays allocated, since creation (the other drains reused an array given back, see <see cref="ReturnConversations"/>).</summary>
    public int DrainArraysAllocated { get; private set; }

    /// <summary>Entries held in all buckets and detection trackers.</summary>
    public int EntryCount
    {
        get
        {
            var count = _conversations.Count;
            foreach (var b in _buckets.Values)
            {
                count += b.Exporters.Count;
            }

            foreach (var d in _detections.Values)
            {
                count += d.EntryCount;
            }

            return count;
        }
    }

    /// <summary>Counts one record; returns false when the direction policy leaves it out.</summary>
    /// <remarks>
    /// Compiled fully optimised at first call, like the decoder's per-set path: a one-shot <c>reportjob ingest</c>
    /// would otherwise spend much of a file in the JIT's first tier.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var bucketStart = endTicks - (endTicks % _bucketTicks);
        var b = _bucket;
        if (b is null || b.StartTicks != bucketStart)
        {
            b = _bucket = Bucket(bucketStart);
        }

        ref var e = ref b.Exporters.GetOrAdd(new AddressKey(r.Exporter));
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

        // The conversation and scan tables are counted a few records later: their index slots are
        // prefetched now, so that the cache misses of a batch overlap (most conversations of a bucket are new, and
        // their index does not fit in the core's cache).
        ref var pending = ref _pending[_pendingHead];
        if (_pendingCount == PrefetchDistance)
        {
            Count(ref pending);
        }
        else
        {
            _pendingCount++;
        }

        pending.Bucket = b;
        pending.Conversation = new ConversationKey(r.SourceAddress, r.DestinationAddress, r.Protocol, ServicePort(r), b.Number);
        pending.ConversationHash = pending.Conversation.Hash();
        pending.Flows = flows;
        pending.Packets = packets;
        pending.Bytes = bytes;
        pending.StartTicks = r.StartUtc.Ticks;
        pending.EndTicks = endTicks;
        // Scan and DoS evidence: flows shaped like probes. Not a reply of a service (a TCP/UDP flow from a well-known
        // port to an ephemeral one), which would otherwise flag every busy DNS or web server; for TCP, no ACK ever seen
        // (RFC 9293 §3.1: every segment after the handshake's first carries one, so a flow without it never became a
        // connection: SYN scans and floods, RSTs) and either a SYN or at most Scan:MaxPackets packets (unsampled count);
        // other protocols at most Scan:MaxPackets packets.
        // The cheap tests that rule most flows out come first.
        pending.Detections = null;
        var tcp = r.Protocol == 6;
        if ((tcp
                ? (r.TcpFlags & TcpAck) == 0 && ((r.TcpFlags & TcpSyn) != 0 || rawPackets <= _probeMaxPackets)
                : rawPackets <= _probeMaxPackets)
            && !IsServiceReply(r))
        {
            var d = Detections(endTicks);
            pending.Detections = d;
            pending.Probe = d.Probes.Prefetch(r.SourceAddress, r.DestinationAddress, r.Protocol, r.DestinationPort);
        }

        if (tcp && (_mailPorts[r.DestinationPort >> 6] & (1UL << r.DestinationPort)) != 0)
        {
            Detections(endTicks).Mail.Add(r.SourceAddress, r.DestinationAddress, flows, packets, r.StartUtc.Ticks, endTicks);
        }

        _conversations.Prefetch(pending.ConversationHash);
        _pendingHead = (_pendingHead + 1) % PrefetchDistance;
        FlowRecords++;
        return true;
    }

    /// <summary>
    /// When the entries held reach the budget: the oldest buckets (all but the newest, or that one too when it alone
    /// fills the budget), and the detection hours no held bucket belongs to any more — or every detection hour when the
    /// budget is still exceeded. Empty when under budget.
    /// </summary>
    public FlowDrain TakeOverBudget()
    {
        CountPending();
        var drain = new FlowDrain();
        var budget = _settings.MaxEntriesInMemory;
        var held = EntryCount;
        if (held < budget)
        {
            return drain;
        }

        foreach (var start in _buckets.Keys.Order().ToList())
        {
            if (held < budget / 2)
            {
                break;
            }

            var b = _buckets[start];
            held -= b.EntryCount;
            drain.Buckets.Add(b);
            _buckets.Remove(start);
        }

        MoveOutConversations(drain);

        var oldestHeld = _buckets.Count == 0 ? long.MaxValue : _buckets.Keys.Min();
        foreach (var hour in _detections.Keys.Order().ToList())
        {
            if (hour + HourTicks <= oldestHeld || held >= budget)
            {
                held -= _detections[hour].EntryCount;
                drain.Detections.Add(_detections[hour]);
                _detections.Remove(hour);
            }
        }

        _bucket = null;
        _hour = null;
        return drain;
    }

    /// <summary>Everything held (the end of a file); the aggregator is empty afterwards.</summary>
    public FlowDrain TakeAll()
    {
        CountPending();
        var drain = new FlowDrain();
        drain.Buckets.AddRange(_buckets.OrderBy(b => b.Key).Select(b => b.Value));
        MoveOutConversations(drain);
        drain.Detections.AddRange(_detections.OrderBy(s => s.Key).Select(s => s.Value));
        _buckets.Clear();
        _detections.Clear();
        _bucket = null;
        _hour = null;
        return drain;
    }

    /// <summary>
    /// Takes back the array a drain's conversations were moved to, once the writer has made their rows, for a later
    /// drain (called on the writing thread; of more than two, the smallest is let go).
    /// </summary>
    public void ReturnConversations(FlowDrain drain)
    {
        var entries = drain.Conversations;
        drain.Conversations = null;
        if (entries is null)
        {
            return;
        }

        lock (_spares)
        {
            _spares.Add(entries);
            if (_spares.Count > MaxSpareArrays)
            {
                _spares.Remove(_spares.MinBy(a => a.Length)!);
            }
        }
    }

    /// <summary>
    /// Lets go of everything held and of the tables' memory (at the end of a file, once the writer is done); only the
    /// record counts stay. An idle thread-pool thread may hold a stale reference to the last task it ran, and so to
    /// this aggregator, until it runs another: a process that ingests now and then (the scheduled job) kept the last
    /// file's conversation table, 21 MB, until its next file otherwise.
    /// </summary>
    public void Release()
    {
        lock (_spares)
        {
            _spares.Clear();
        }

        _conversations.Release();
        _buckets.Clear();
        _detections.Clear();
        _drainGroups = [];
        _bucket = null;
        _hour = null;
        Array.Clear(_pending);
        _pendingCount = 0;
    }

    /// <summary>Moves the conversations of the drain's buckets out of the table, grouped per bucket, into one array.</summary>
    private void MoveOutConversations(FlowDrain drain)
    {
        var buckets = drain.Buckets;
        if (buckets.Count == 0)
        {
            return;
        }

        var total = 0;
        var next = new int[buckets.Count];
        var (lowest, highest) = (int.MaxValue, int.MinValue);
        for (var g = 0; g < buckets.Count; g++)
        {
            next[g] = total;
            total += buckets[g].ConversationCount;
            (lowest, highest) = (Math.Min(lowest, buckets[g].Number), Math.Max(highest, buckets[g].Number));
        }

        if (_drainGroups.Length < highest - lowest + 1)
        {
            _drainGroups = new int[highest - lowest + 1];
        }

        var groups = _drainGroups.AsSpan(0, highest - lowest + 1);
        groups.Fill(-1);
        for (var g = 0; g < buckets.Count; g++)
        {
            groups[buckets[g].Number - lowest] = g;
        }

        AggregateTable<ConversationKey, FlowCounters>.Entry[]? entries;
        lock (_spares)
        {
            // The smallest spare that is large enough.
            entries = _spares.Where(a => a.Length >= total).MinBy(a => a.Length);
            if (entries is not null)
            {
                _spares.Remove(entries);
            }
        }

        if (entries is null)
        {
            // An eighth to spare, so that the next drain, a little larger, still fits.
            entries = new AggregateTable<ConversationKey, FlowCounters>.Entry[total + (total / 8)];
            DrainArraysAllocated++;
        }

        for (var g = 0; g < buckets.Count; g++)
        {
            buckets[g].SetConversations(entries, next[g]);
        }

        _conversations.MoveOut(new DrainGroup(_drainGroups, lowest, highest - lowest + 1), entries, next);
        drain.Conversations = entries;
    }

    /// <summary>Counts the records still waiting for their prefetch (before the tables are read or handed over).</summary>
    private void CountPending()
    {
        for (; _pendingCount > 0; _pendingCount--)
        {
            var oldest = (_pendingHead - _pendingCount + PrefetchDistance) % PrefetchDistance;
            Count(ref _pending[oldest]);
        }

        _pendingHead = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Count(ref PendingFlow p)
    {
        var b = p.Bucket!;
        ref readonly var key = ref p.Conversation;
        _conversations.GetOrAdd(key, p.ConversationHash, out var added).Add(p.Flows, p.Packets, p.Bytes);
        b.ConversationCount += added ? 1 : 0;
        p.Detections?.Probes.Add(key.Source, key.Destination, key.Protocol, p.Probe, p.Flows, p.Packets, p.StartTicks, p.EndTicks);
        p.Bucket = null;
        p.Detections = null;
    }

    /// <summary>
    /// The service side of a flow's conversation: for TCP, UDP and SCTP the lower-numbered of its two ports (services
    /// listen on system and user ports, clients take theirs from the dynamic range above them, RFC 6335 §6), so that
    /// the replies of a service are keyed by the service's port like its requests, not by thousands of ephemeral ones;
    /// other protocols keep the destination port (ICMP's type and code). A port of 0 is no side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort ServicePort(in FlowRecord r)
    {
        var (source, destination) = (r.SourcePort, r.DestinationPort);
        // Port - 1 as unsigned puts 0 last: the source side when it is the lower non-zero port (or the destination is 0).
        return r.Protocol is 6 or 17 or 132 && (uint)(source - 1) < (uint)(destination - 1) ? source : destination;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsServiceReply(in FlowRecord r) =>
        r.Protocol is 6 or 17 && r.SourcePort is > 0 and < 1024 && r.DestinationPort >= 1024;

    private BucketAggregate Bucket(long start)
    {
        if (!_buckets.TryGetValue(start, out var b))
        {
            b = new BucketAggregate(start, _nextBucketNumber++);
            _buckets[start] = b;
        }

        return b;
    }

    /// <summary>The detection trackers of the hour a flow ending at <paramref name="endTicks"/> falls in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HourDetections Detections(long endTicks)
    {
        var hour = endTicks - (endTicks % HourTicks);
        var d = _hour;
        if (d is null || d.HourTicks != hour)
        {
            d = _hour = HourOf(hour);
        }

        return d;
    }

    private HourDetections HourOf(long hour)
    {
        if (!_detections.TryGetValue(hour, out var d))
        {
            d = new HourDetections(hour, _settings.Scan, _settings.Dos, _settings.Mail);
            _detections[hour] = d;
        }

        return d;
    }

    /// <summary>A record counted into its exporter, waiting for the prefetch of its other tables.</summary>
    private struct PendingFlow
    {
        public BucketAggregate? Bucket;
        public ConversationKey Conversation;
        public ulong ConversationHash;
        public long Flows;
        public long Packets;
        public long Bytes;
        public long StartTicks;
        public long EndTicks;
        public HourDetections? Detections;
        public ProbeFlow Probe;
    }

    /// <summary>The drain group of a conversation: its bucket's place in the drain, or -1 when the bucket stays.</summary>
    private readonly struct DrainGroup(int[] groups, int lowest, int count) : IEntryGroup<ConversationKey>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Of(in ConversationKey key) => (uint)(key.Bucket - lowest) < (uint)count ? groups[key.Bucket - lowest] : -1;
    }
}
