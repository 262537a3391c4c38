using System.ComponentModel.DataAnnotations;

namespace ReportJob.NetFlow;

/// <summary>
/// DoS/DDoS target detection: destinations of many probe-shaped flows (tiny, or TCP SYN without ACK, as for scans) from
/// many sources or with many packets.
/// </summary>
public sealed class DosOptions
{
    /// <summary>A destination whose probe-shaped flows in the window came from at least this many distinct sources is flagged (a DDoS).</summary>
    [Range(2, 1_000_000)]
    public int MinSources { get; set; } = 1000;

    /// <summary>A destination that received at least this many packets (sampling applied) in probe-shaped flows in the window is flagged (a flood).</summary>
    [Range(1, long.MaxValue)]
    public long MinPackets { get; set; } = 1_000_000;

    /// <summary>
    /// Most distinct sources kept as evidence per destination, hour and file (bounds storage); must be at least
    /// <see cref="MinSources"/> so that counts up to the threshold are exact.
    /// </summary>
    [Range(2, 1_000_000)]
    public int EvidenceLimit { get; set; } = 4096;

    /// <summary>A destination's probe-shaped flows of one hour and file are stored when they came from at least this many sources…</summary>
    [Range(1, 1_000_000)]
    public int MinSourcesToKeep { get; set; } = 16;

    /// <summary>…or carried at least this many packets.</summary>
    [Range(1, long.MaxValue)]
    public long MinPacketsToKeep { get; set; } = 1000;
}
