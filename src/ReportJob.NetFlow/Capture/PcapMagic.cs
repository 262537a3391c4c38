namespace ReportJob.NetFlow.Decoding;

/// <summary>The signatures that open a classic pcap file (its first four bytes, in the writer's byte order).</summary>
public static class PcapMagic
{
    /// <summary>Timestamps in seconds and microseconds.</summary>
    public const uint Microseconds = 0xA1B2C3D4;

    /// <summary>Timestamps in seconds and nanoseconds.</summary>
    public const uint Nanoseconds = 0xA1B23C4D;
}
