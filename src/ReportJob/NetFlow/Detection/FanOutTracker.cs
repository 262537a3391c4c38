using System.Runtime.CompilerServices;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// Mail fan-out within one hour: per source of flows to the SMTP ports, their distinct destinations (an exact set capped
/// at <see cref="MailFanOutOptions.EvidenceLimit"/> per source) and totals. Only flows to those ports come here, a small
/// part of the traffic, so they are counted at once, without the prefetch of the busier tables.
/// </summary>
internal sealed class FanOutTracker(MailFanOutOptions options)
{
    private readonly AggregateTable<AddressKey, PeerSummary> _sources = new(16);
    private readonly AggregateTable<ScanTargetKey, long> _destinations = new(64);

    public int EntryCount => _sources.Count + _destinations.Count;

    public void Add(FlowAddress source, FlowAddress destination, long flows, long packets, long startTicks, long endTicks)
    {
        ref var s = ref _sources.GetOrAdd(new AddressKey(source));
        s.Add(flows, packets, startTicks, endTicks);
        var key = new ScanTargetKey(source, destination, -1);
        if (s.Peers < options.EvidenceLimit)
        {
            _destinations.GetOrAdd(key, out var added) += flows;
            s.Peers += added ? 1 : 0;
            return;
        }

        ref var held = ref _destinations.Find(key);
        if (!Unsafe.IsNullRef(ref held))
        {
            held += flows;
        }
    }

    /// <summary>One row per source whose mail flows reached at least <see cref="MailFanOutOptions.MinDestinationsToKeep"/> destinations.</summary>
    public void AppendRows(DateTime hour, List<FlowPeerEvidenceRow> rows)
    {
        var kept = new Dictionary<FlowAddress, List<(FlowAddress, long)>>();
        foreach (var (key, s) in _sources)
        {
            if (s.Peers >= options.MinDestinationsToKeep)
            {
                kept[key.Address] = [];
            }
        }

        if (kept.Count == 0)
        {
            return;
        }

        foreach (var (key, flows) in _destinations)
        {
            if (kept.TryGetValue(key.Source, out var destinations))
            {
                destinations.Add((key.Host, flows));
            }
        }

        foreach (var (key, s) in _sources)
        {
            if (kept.TryGetValue(key.Address, out var destinations))
            {
                rows.Add(FlowPeerEvidenceRow.Of(PeerEvidenceKind.MailSender, hour, key.Address, s, destinations, options.EvidenceLimit));
            }
        }
    }
}
