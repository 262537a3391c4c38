using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>A probe-shaped flow's keys and the hashes of its table slots, computed when they are prefetched (<see cref="ProbeTracker.Prefetch"/>).</summary>
internal readonly record struct ProbeFlow(
    FlowAddress Source, FlowAddress Destination, byte Protocol, ushort Port, ulong HostHash, ulong PortHash, ulong DestinationHash);
