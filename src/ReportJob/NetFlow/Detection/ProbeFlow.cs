namespace ReportJob.NetFlow;

/// <summary>
/// A probe-shaped flow's destination port and the hashes of its table slots, computed when they are prefetched
/// (<see cref="ProbeTracker.Prefetch"/>); its addresses and protocol are its conversation's.
/// </summary>
internal readonly record struct ProbeFlow(ushort Port, ulong HostHash, ulong PortHash, ulong DestinationHash);
