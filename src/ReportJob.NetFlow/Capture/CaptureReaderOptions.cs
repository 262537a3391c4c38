namespace ReportJob.NetFlow.Decoding;

/// <summary>Limits and filters of a <see cref="CaptureReader"/>.</summary>
public sealed class CaptureReaderOptions
{
    /// <summary>Largest frame/block accepted; bigger ones make the file malformed. Bounds memory.</summary>
    public int MaxFrameLength { get; init; } = 1024 * 1024;

    /// <summary>Only UDP datagrams to these destination ports are returned (null = any port).</summary>
    public IReadOnlySet<ushort>? DestinationPorts { get; init; }

    /// <summary>Skip UDP payloads that do not start with version 5, 9 or 10.</summary>
    public bool OnlyFlowExports { get; init; } = true;

    /// <summary>Exporter address reported for raw .dat datagrams (they carry no IP header).</summary>
    public FlowAddress RawExporter { get; init; } = FlowAddress.FromIPv4(0);

    /// <summary>Most IPv4 datagrams being reassembled at once.</summary>
    public int MaxFragmentedDatagrams { get; init; } = 64;

    /// <summary>A partial datagram is dropped after this many further frames…</summary>
    public int FragmentTimeoutFrames { get; init; } = 10_000;

    /// <summary>…or after this much capture time.</summary>
    public TimeSpan FragmentTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
