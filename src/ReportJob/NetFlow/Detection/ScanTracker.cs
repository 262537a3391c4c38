using System.Runtime.CompilerServices;
using ReportJob.NetFlow.Decoding;

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

    public long HourTicks { get; } = hourTicks;

    /// <summary>Sources plus targets held (the aggregator hands trackers to the writer when the total grows too large).</summary>
    public int EntryCount => _sources.Count + _targets.Count;

    /// <summary>Counts a tiny flow as evidence of its source; the targets' hashes come from <see cref="Prefetch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(FlowAddress source, FlowAddress destination, byte protocol, ushort port, long flows, long startTicks, long endTicks, ulong hostHash, ulong portHash)
    {
        ref var s = ref _sources.GetOrAdd(new AddressKey(source));
        s.Add(flows, startTicks, endTicks);
        AddTarget(ref s.Hosts, HostTarget(source, destination), hostHash, flows);
        AddTarget(ref s.Ports, PortTarget(source, protocol, port), portHash, flows);
    }

    /// <summary>Prefetches the index slots of a flow's two targets (see <see cref="AggregateTable{TKey,TValue}.Prefetch"/>); returns their hashes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (ulong HostHash, ulong PortHash) Prefetch(FlowAddress source, FlowAddress destination, byte protocol, ushort port)
    {
        var (hostHash, portHash) = (HostTarget(source, destination).Hash(), PortTarget(source, protocol, port).Hash());
        _targets.Prefetch(hostHash);
        _targets.Prefetch(portHash);
        return (hostHash, portHash);
    }

    /// <summary>One row per source that touched enough targets to be worth keeping (<see cref="ScanOptions.MinTargetsToKeep"/>).</summary>
    /// <remarks>
    /// Compiled fully optimised at first call: it runs once per hour of a file, over every target of the hour (the
    /// bench's softflowd capture: the last cut's rows took 0.048 s with it as tier-0 code, against 0.02 s for a cut
    /// without a scan hour).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    private static ScanTargetKey HostTarget(FlowAddress source, FlowAddress destination) => new(source, destination, -1);

    private static ScanTargetKey PortTarget(FlowAddress source, byte protocol, ushort port) => new(source, default, (protocol << 16) | port);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddTarget(ref int count, in ScanTargetKey key, ulong hash, long flows)
    {
        if (count < options.EvidenceLimit)
        {
            _targets.GetOrAdd(key, hash, out var added) += flows;
            count += added ? 1 : 0;
            return;
        }

        // At the cap: targets already held still count their flows; new ones are not kept.
        ref var held = ref _targets.Find(key, hash);
        if (!Unsafe.IsNullRef(ref held))
        {
            held += flows;
        }
    }
}
