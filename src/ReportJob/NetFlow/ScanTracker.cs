using System.Runtime.InteropServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Collects, per source and hour, the distinct hosts and ports touched with tiny flows. Exact sets, each capped at
/// <see cref="ScanOptions.EvidenceLimit"/> per source, so memory is bounded; the store counts distinct targets over a
/// day. Flat dictionaries of value types: three lookups per tiny flow, no object per source.
/// </summary>
internal sealed class ScanTracker(ScanOptions options)
{
    private readonly Dictionary<HostKey, ScanSummary> _sources = [];
    private readonly Dictionary<ScanTargetKey, ScanTarget> _targets = [];

    /// <summary>Sources plus targets held (the aggregator flushes when the total grows too large).</summary>
    public int EntryCount => _sources.Count + _targets.Count;

    public void Add(long hourTicks, FlowAddress source, FlowAddress destination, byte protocol, ushort port, long flows, long startTicks, long endTicks)
    {
        ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, new HostKey(hourTicks, source), out _);
        s.All.Add(flows, startTicks, endTicks);
        AddTarget(ref s.Hosts, new ScanTargetKey(hourTicks, source, destination, -1), flows, startTicks, endTicks);
        AddTarget(ref s.Ports, new ScanTargetKey(hourTicks, source, default, (protocol << 16) | port), flows, startTicks, endTicks);
    }

    /// <summary>Rows for the sources that touched enough targets to be worth keeping; clears the tracker.</summary>
    public void Drain(List<FlowScanTargetRow> rows)
    {
        var kept = new Dictionary<HostKey, string>();
        foreach (var (key, s) in _sources)
        {
            if (s.Hosts >= options.MinTargetsToKeep || s.Ports >= options.MinTargetsToKeep)
            {
                var source = key.Address.ToString();
                kept[key] = source;
                rows.Add(new FlowScanTargetRow(Utc(key.Bucket), source, 2, "*", s.All.Flows, Utc(s.All.FirstTicks), Utc(s.All.LastTicks)));
            }
        }

        foreach (var (key, t) in _targets)
        {
            if (kept.TryGetValue(new HostKey(key.Hour, key.Source), out var source))
            {
                rows.Add(key.Port < 0
                    ? new FlowScanTargetRow(Utc(key.Hour), source, 0, key.Host.ToString(), t.Flows, Utc(t.FirstTicks), Utc(t.LastTicks))
                    : new FlowScanTargetRow(Utc(key.Hour), source, 1, ProtocolNames.PortLabel(key.Port >> 16, key.Port & 0xFFFF), t.Flows, Utc(t.FirstTicks), Utc(t.LastTicks)));
            }
        }

        _sources.Clear();
        _targets.Clear();
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    private void AddTarget(ref int count, ScanTargetKey key, long flows, long startTicks, long endTicks)
    {
        if (count < options.EvidenceLimit)
        {
            ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(_targets, key, out var known);
            count += known ? 0 : 1;
            t.Add(flows, startTicks, endTicks);
            return;
        }

        // At the cap: targets already held still count their flows; new ones are not kept.
        ref var held = ref CollectionsMarshal.GetValueRefOrNullRef(_targets, key);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref held))
        {
            held.Add(flows, startTicks, endTicks);
        }
    }
}
