namespace ReportJob.NetFlow;

/// <summary>One IPv4 flow for <see cref="SampleCapture"/> to export (addresses as 32-bit numbers, host order; TCP flags ORed over the flow).</summary>
internal readonly record struct SampleFlow(uint Source, uint Destination, ushort SourcePort, ushort DestinationPort, byte Protocol, byte TcpFlags, uint Packets, uint Bytes, DateTime EndUtc);
