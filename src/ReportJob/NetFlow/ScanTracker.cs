using System.Runtime.InteropServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Collects, per source and hour, the distinct hosts and ports touched with tiny flows. Exact sets, each capped at
/// <see cref="ScanOptions.EvidenceLimit"/>, so memory is bounded; the store counts distinct targets over a day.
/// </summary>
internal sealed class ScanTracker(ScanOptions options)
{
    private readonly Dictionary<HostKey, ScanSource> _sources = [];

    /// <summary>Sources plus targets held (the aggregator flushes when the total grows too large).</summary>
    public int EntryCount { get; private set; }

    public void Add(long hourTicks, FlowAddress source, FlowAddress destination, byte protocol, ushort port, long flows, long startTicks, long endTicks)
    {
        ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, new HostKey(hourTicks, source), out var exists);
        if (!exists)
        {
            s = new ScanSource();
            EntryCount++;
        }

        s!.Summary.Add(flows, startTicks, endTicks);
        if (s.Hosts.Count < options.EvidenceLimit || s.Hosts.ContainsKey(destination))
        {
            ref var h = ref CollectionsMarshal.GetValueRefOrAddDefault(s.Hosts, destination, out var hostKnown);
            EntryCount += hostKnown ? 0 : 1;
            h.Add(flows, startTicks, endTicks);
        }

        var portKey = (protocol << 16) | port;
        if (s.Ports.Count < options.EvidenceLimit || s.Ports.ContainsKey(portKey))
        {
            ref var p = ref CollectionsMarshal.GetValueRefOrAddDefault(s.Ports, portKey, out var portKnown);
            EntryCount += portKnown ? 0 : 1;
            p.Add(flows, startTicks, endTicks);
        }
    }

    /// <summary>Rows for the sources that touched enough targets to be worth keeping; clears the tracker.</summary>
    public void Drain(List<FlowScanTargetRow> rows)
    {
        foreach (var (key, s) in _sources)
        {
            if (s.Hosts.Count < options.MinTargetsToKeep && s.Ports.Count < options.MinTargetsToKeep)
            {
                continue;
            }

            var hour = new DateTime(key.Bucket, DateTimeKind.Utc);
            var source = key.Address.ToString();
            rows.Add(new FlowScanTargetRow(hour, source, 2, "*", s.Summary.Flows, Utc(s.Summary.FirstTicks), Utc(s.Summary.LastTicks)));
            foreach (var (host, t) in s.Hosts)
            {
                rows.Add(new FlowScanTargetRow(hour, source, 0, host.ToString(), t.Flows, Utc(t.FirstTicks), Utc(t.LastTicks)));
            }

            foreach (var (port, t) in s.Ports)
            {
                rows.Add(new FlowScanTargetRow(hour, source, 1, ProtocolNames.PortLabel(port >> 16, port & 0xFFFF), t.Flows, Utc(t.FirstTicks), Utc(t.LastTicks)));
            }
        }

        _sources.Clear();
        EntryCount = 0;
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
