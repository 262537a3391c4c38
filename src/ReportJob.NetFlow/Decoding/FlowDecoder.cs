using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// A decode session for NetFlow v5, v9 (RFC 3954) and IPFIX (RFC 7011). It owns the template cache,
/// the pending buffer for data that arrives before its template, options-data state (sampling,
/// systemInitTime, interface names) and sequence tracking, all per (exporter, version, domain).
/// Not thread-safe: use one session per ingest pipeline.
/// </summary>
public sealed partial class FlowDecoder
{
    private const uint SweepEveryDatagrams = 4096;

    private readonly FlowDecoderOptions _options;
    private readonly Dictionary<TemplateKey, FlowTemplate> _templates = [];
    private readonly Dictionary<DomainKey, DomainState> _domains = [];
    private readonly Dictionary<TemplateKey, List<PendingSet>> _pending = [];
    private readonly TemplateField[] _fieldScratch;

    // TemplateIdleTimeout in whole seconds, -1 = never (checked for every data set).
    private readonly long _idleTimeoutSeconds;

    // Bumped whenever _templates changes, so the streams' recent-template lists (DomainState) go stale.
    private ulong _templateGeneration;

    // The last stream seen: datagrams of one stream come in runs, and _domains never drops a stream.
    private DomainKey _lastDomainKey;
    private DomainState? _lastDomain;
    private long _pendingBytes;
    private uint _sinceSweep;

    /// <summary>Creates a session with default options.</summary>
    public FlowDecoder()
        : this(new FlowDecoderOptions())
    {
    }

    /// <summary>Creates a session with the given limits and policies.</summary>
    public FlowDecoder(FlowDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxTemplateFields is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxTemplateFields must be 1..65535.");
        }

        _options = options;
        _fieldScratch = new TemplateField[options.MaxTemplateFields];
        _idleTimeoutSeconds = options.TemplateIdleTimeout > TimeSpan.Zero ? (long)options.TemplateIdleTimeout.TotalSeconds : -1;
    }

    /// <summary>Counters of everything this session has seen.</summary>
    public FlowDecoderStatistics Statistics { get; } = new();

    /// <summary>Number of templates in the cache.</summary>
    public int TemplateCount => _templates.Count;

    /// <summary>
    /// False forces every fixed template through the general field plan: the differential tests decode
    /// the same input both ways and require identical records.
    /// </summary>
    internal bool UseFixedLayouts { get; init; } = true;

    /// <summary>Number of data sets waiting for their template.</summary>
    public int PendingSetCount
    {
        get
        {
            var n = 0;
            foreach (var list in _pending.Values)
            {
                n += list.Count;
            }

            return n;
        }
    }

    /// <summary>Decodes one datagram from a capture reader.</summary>
    public DecodeResult Decode<TSink>(in ExportDatagram datagram, ref TSink sink)
        where TSink : IFlowSink =>
        Decode(datagram.Exporter, datagram.Payload.Span, datagram.TimestampUtc, ref sink);

    /// <summary>Decodes one datagram; the export time in the header is used for record times.</summary>
    public DecodeResult Decode<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, ref TSink sink)
        where TSink : IFlowSink =>
        Decode(exporter, datagram, default, ref sink);

    /// <summary>
    /// Decodes one UDP payload from <paramref name="exporter"/>. Records go to <paramref name="sink"/>;
    /// problems are returned as <see cref="DecodeStatus"/> flags and counted, never thrown.
    /// </summary>
    /// <param name="exporter">The exporter address (UDP source address): part of every template key.</param>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="receivedUtc">Receive/capture time, used only when the header's export time is 0.</param>
    /// <param name="sink">Receives records, options records and template events.</param>
    // The per-datagram and per-set path (this method down to the record loops) is compiled fully optimised
    // at its first call (AggressiveOptimization) instead of starting as tier-0 code: a capture is decoded
    // once, and with softflowd's ~6 sets of ~5 records per datagram the tier-0 set walk made the first
    // million records cost 2-3x the steady state. Those methods get no dynamic PGO; the steady state
    // measured the same within noise.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DecodeResult Decode<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, DateTime receivedUtc, ref TSink sink)
        where TSink : IFlowSink
    {
        Statistics.Datagrams++;
        var tally = default(DatagramTally);
        var version = DecodeCore(exporter, datagram, receivedUtc, ref tally, ref sink);
        var result = tally.Result(version);
        Statistics.Count(result);
        if (++_sinceSweep >= SweepEveryDatagrams)
        {
            _sinceSweep = 0;
            SweepIdleTemplates(ref sink);
        }

        return result;
    }

    /// <summary>The sampling interval the exporter announced in options data without a sampler id (0 = none).</summary>
    public uint GetAnnouncedSampling(FlowAddress exporter, NetFlowVersion version, uint observationDomain) =>
        _domains.TryGetValue(new DomainKey(exporter, version, observationDomain), out var s) ? s.DefaultSampling : 0;

    /// <summary>An interface name announced in options data (IE 82 scoped by interface), or null.</summary>
    public string? GetInterfaceName(FlowAddress exporter, NetFlowVersion version, uint observationDomain, uint interfaceIndex) =>
        _domains.TryGetValue(new DomainKey(exporter, version, observationDomain), out var s)
        && s.InterfaceNames is { } names && names.TryGetValue(interfaceIndex, out var name) ? name : null;

    /// <summary>Drops every pending data set (e.g. at the end of a capture), counting them as undecodable.</summary>
    public int DropPending()
    {
        var dropped = PendingSetCount;
        Statistics.PendingSetsDropped += dropped;
        _pending.Clear();
        _pendingBytes = 0;
        return dropped;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private NetFlowVersion DecodeCore<TSink>(FlowAddress exporter, ReadOnlySpan<byte> datagram, DateTime receivedUtc, ref DatagramTally tally, ref TSink sink)
        where TSink : IFlowSink
    {
        if (datagram.Length < 2)
        {
            tally.Skip(DecodeStatus.TooShort);
            return 0;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        switch (version)
        {
            case 5:
                DecodeV5(exporter, datagram, receivedUtc, ref tally, ref sink);
                return NetFlowVersion.V5;
            case 9:
                DecodeV9(exporter, datagram, receivedUtc, ref tally, ref sink);
                return NetFlowVersion.V9;
            case 10:
                DecodeIpfix(exporter, datagram, receivedUtc, ref tally, ref sink);
                return NetFlowVersion.Ipfix;
            default:
                tally.Skip(DecodeStatus.UnknownVersion);
                return 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DomainState GetDomain(DomainKey key) =>
        _lastDomain is { } last && key == _lastDomainKey ? last : FindDomain(key);

    private DomainState FindDomain(DomainKey key)
    {
        if (!_domains.TryGetValue(key, out var state))
        {
            state = new DomainState();
            _domains[key] = state;
        }

        _lastDomainKey = key;
        _lastDomain = state;
        return state;
    }

    private uint SamplingOverride(FlowAddress exporter) =>
        _options.SamplingOverrides is { } overrides && overrides.TryGetValue(exporter, out var rate) ? rate : 0;

    /// <summary>The header's export time as UTC ticks; an export time of 0 (a sloppy exporter) is counted, and the receive time stands in when there is one.</summary>
    private static long ExportTicks(uint seconds, uint nanoseconds, DateTime receivedUtc, ref DatagramTally tally)
    {
        if (seconds != 0)
        {
            return RecordBuilder.FromUnixSeconds(seconds, nanoseconds);
        }

        tally.Deviations |= ExportDeviations.ZeroExportTime;
        return receivedUtc.Ticks != 0 ? receivedUtc.Ticks : RecordBuilder.FromUnixSeconds(0, nanoseconds);
    }

    /// <summary>
    /// Sequence tracking per stream (RFC 3954 §5.1, RFC 7011 §3.1): modulo 2^32, tolerant of wrap and
    /// reordering. Returns true when the jump backwards is large enough to mean the exporter restarted.
    /// </summary>
    private SequenceOutcome CheckSequence(DomainState state, uint sequence, ref DatagramTally tally)
    {
        if (!state.SequenceKnown)
        {
            return SequenceOutcome.InOrder;
        }

        var diff = (int)(sequence - state.ExpectedSequence);
        if (diff == 0)
        {
            return SequenceOutcome.InOrder;
        }

        if (diff > 0)
        {
            tally.SequenceGaps++;
            tally.SequenceLost += diff;
            tally.Status |= DecodeStatus.SequenceGap;
            return SequenceOutcome.InOrder;
        }

        if (-(long)diff <= _options.SequenceReorderWindow)
        {
            Statistics.SequenceReordered++;
            return SequenceOutcome.Late;
        }

        return SequenceOutcome.Reset;
    }

    private enum SequenceOutcome
    {
        InOrder,
        Late,
        Reset,
    }
}
