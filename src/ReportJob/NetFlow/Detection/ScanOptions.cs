using System.ComponentModel.DataAnnotations;

namespace ReportJob.NetFlow;

/// <summary>Scan detection: sources that touch many destination ports or hosts with probe-shaped flows (tiny, or TCP SYN without ACK).</summary>
public sealed class ScanOptions
{
    /// <summary>A flow of at most this many packets (unsampled count) is "tiny": a probe, not a conversation.</summary>
    [Range(1, 1000)]
    public int MaxPackets { get; set; } = 3;

    /// <summary>A source that touches at least this many distinct destination ports (protocol/port) in a day is flagged.</summary>
    [Range(2, 65536)]
    public int MinDistinctPorts { get; set; } = 100;

    /// <summary>A source that touches at least this many distinct destination hosts in a day is flagged.</summary>
    [Range(2, 1_000_000)]
    public int MinDistinctHosts { get; set; } = 50;

    /// <summary>
    /// Most distinct ports and hosts kept as evidence per source, hour and file (bounds memory and storage);
    /// must be at least the two thresholds so that counts up to a threshold are exact.
    /// </summary>
    [Range(2, 1_000_000)]
    public int EvidenceLimit { get; set; } = 1024;

    /// <summary>A source's probe-shaped flows of one hour and file are stored only when they touch at least this many ports or hosts.</summary>
    [Range(1, 1_000_000)]
    public int MinTargetsToKeep { get; set; } = 8;
}
