using System.ComponentModel.DataAnnotations;

namespace ReportJob.NetFlow;

/// <summary>Heavy hitters: hosts whose share of all bytes or packets of an hour (as source or as destination) passes a threshold.</summary>
public sealed class HeavyHitterOptions
{
    /// <summary>Share of the hour's bytes, or of its packets, a host must reach (0.2 = 20 %).</summary>
    [Range(0.01, 1.0)]
    public double MinShare { get; set; } = 0.2;

    /// <summary>…and the host's bytes in that hour (sampling applied) must be at least this many, for a byte share: in a quiet hour any host has a large share.</summary>
    [Range(0, long.MaxValue)]
    public long MinBytes { get; set; } = 100_000_000;

    /// <summary>…or its packets at least this many, for a packet share.</summary>
    [Range(0, long.MaxValue)]
    public long MinPackets { get; set; } = 100_000;
}
