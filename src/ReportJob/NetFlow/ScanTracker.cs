using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Collects, per source within one hour, the distinct hosts and ports touched with tiny flows. Exact sets, each capped
/// at <see cref="ScanOptions.EvidenceLimit"/> per source, so memory is bounded; the store counts distinct targets over
/// a day. Flat tables of value types: three lookups per tiny flow, no object per source.
/// </summary>
internal sealed class ScanTracker(long hourTicks, ScanOptions options)
{
    private readonly AggregateTable<AddressKey, ScanSummary> _sources = new(256);
    private readonly AggregateTable<ScanTargetKey, long> _targets = new(4096);

    public long HourTicks { get; private set; } = hourTicks;

    /// <summary>Sources plus targets held (the aggregator hands trackers to the writer when the total grows too large).</summary>
    public int EntryCount => _sources.Count + _targets.Count;

    /// <summary>Empties the tables (keeping their capacity) for another hour.</summary>
    public void Reset(long hourTicks)
    {
        HourTicks = hourTicks;
        _sources.Clear();
        _targets.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(FlowAddress source, FlowAddress destination, byte protocol, ushort port, long flows, long startTicks, long endTicks)
    {
        ref var s = ref _sources.GetOrAdd(new AddressKey(source));
        s.Add(flows, startTicks, endTicks);
        AddTarget(ref s.Hosts, new ScanTargetKey(source, destination, -1), flows);
        AddTarget(ref s.Ports, new ScanTargetKey(source, default, (protocol << 16) | port), flows);
    }

    /// <summary>One row per source that touched enough targets to be worth keeping (<see cref="ScanOptions.MinTargetsToKeep"/>).</summary>
    public void AppendRows(List<FlowScanEvidenceRow> rows)
    {
        var kept = new Dictionary<FlowAddress, (List<(FlowAddress, long)> Hosts, List<(int, long)> Ports)>();
        foreach (var (key, s) in _sources)
        {
            if (s.Hosts >= options.MinTargetsToKeep || s.Ports >= options.MinTargetsToKeep)
            {
                kept[key.Address] = ([], []);
            }
        }

        if (kept.Count == 0)
        {
            return;
        }

        foreach (var (key, flows) in _targets)
        {
            if (kept.TryGetValue(key.Source, out var lists))
            {
                if (key.Port < 0)
                {
                    lists.Hosts.Add((key.Host, flows));
                }
                else
                {
                    lists.Ports.Add((key.Port, flows));
                }
            }
        }

        var hour = new DateTime(HourTicks, DateTimeKind.Utc);
        foreach (var (key, s) in _sources)
        {
            if (kept.TryGetValue(key.Address, out var lists))
            {
                rows.Add(new FlowScanEvidenceRow(hour, key.Address.ToString(), s.Flows, new DateTime(s.FirstTicks, DateTimeKind.Utc),
                    new DateTime(s.LastTicks, DateTimeKind.Utc), ScanEvidence.PackHosts(lists.Hosts), ScanEvidence.PackPorts(lists.Ports)));
            }
        }
    }

    private void AddTarget(ref int count, ScanTargetKey key, long flows)
    {
        if (count < options.EvidenceLimit)
        {
            _targets.GetOrAdd(key, out var added) += flows;
            count += added ? 1 : 0;
            return;
        }

        // At the cap: targets already held still count their flows; new ones are not kept.
        ref var held = ref _targets.Find(key);
        if (!Unsafe.IsNullRef(ref held))
        {
            held += flows;
        }
    }
}
