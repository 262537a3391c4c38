using System.Buffers.Binary;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>Quality counters per export stream of one file, keyed from each datagram's header.</summary>
internal sealed class QualityTracker
{
    private readonly Dictionary<QualityKey, QualityCounters> _streams = [];
    private QualityKey _lastKey;
    private QualityCounters? _last;

    public IReadOnlyDictionary<QualityKey, QualityCounters> Streams => _streams;

    /// <summary>Where the capture ended in the middle of a record, or null.</summary>
    public CaptureCut? Cut { get; set; }

    /// <summary>The counters of the stream this datagram belongs to (v5 engine, v9 Source ID, IPFIX domain of the first message).</summary>
    public QualityCounters For(FlowAddress exporter, ReadOnlySpan<byte> payload)
    {
        var version = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 0;
        uint domain = version switch
        {
            5 when payload.Length >= 22 => (uint)((payload[20] << 8) | payload[21]),   // engine_type, engine_id
            9 when payload.Length >= 20 => BinaryPrimitives.ReadUInt32BigEndian(payload[16..]),   // RFC 3954 §5.1 Source ID
            10 when payload.Length >= 16 => BinaryPrimitives.ReadUInt32BigEndian(payload[12..]),  // RFC 7011 §3.1
            _ => 0,
        };
        if (version is not (5 or 9 or 10))
        {
            version = 0;
        }

        var key = new QualityKey(exporter, version, domain);
        if (_last is not null && key == _lastKey)
        {
            return _last;
        }

        if (!_streams.TryGetValue(key, out var counters))
        {
            counters = new QualityCounters();
            _streams[key] = counters;
        }

        _lastKey = key;
        _last = counters;
        return counters;
    }

    /// <summary>Data sets still waiting for a template at the end of the file: charged to the stream when there is one, else to a "(file)" row.</summary>
    public void ChargeUnresolved(long sets)
    {
        if (sets == 0)
        {
            return;
        }

        var target = _streams.Count == 1 ? _streams.Values.First() : For(FlowAddress.None, []);
        target.MissingTemplateSets += sets;
    }

    /// <summary>The file's <c>flow_quality</c> rows, one per stream.</summary>
    public List<FlowQualityRow> Rows(string hash, string name, IngestSettings settings) =>
        _streams.Select(kv => Row(hash, name, kv.Key, kv.Value, settings)).ToList();

    private FlowQualityRow Row(string hash, string name, QualityKey key, QualityCounters c, IngestSettings settings) => new(
        hash,
        name,
        key.Exporter.IsUnspecified && key.Version == 0 ? "(file)" : key.Exporter.ToString(),
        key.Version,
        key.Domain,
        c.FirstExportTicks == 0 ? null : new DateTime(c.FirstExportTicks, DateTimeKind.Utc),
        c.LastExportTicks == 0 ? null : new DateTime(c.LastExportTicks, DateTimeKind.Utc),
        c.Datagrams,
        c.FlowRecords,
        c.OptionsRecords,
        c.SequenceGaps,
        c.SequenceLost,
        c.MissingTemplateSets,
        c.UndecodableSets,
        c.SamplingMin,
        c.SamplingMax,
        DirectionPolicies.Name(settings.PolicyFor(key.Exporter).Direction),
        c.SkippedFlows,
        c.Deviations.TrailingBytes,
        c.Deviations.ZeroExportTime,
        c.Deviations.ShortCounters,
        c.Deviations.UnpaddedSets,
        Cut?.Offset);
}
