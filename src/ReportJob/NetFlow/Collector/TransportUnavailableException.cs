namespace ReportJob.NetFlow;

/// <summary>The collector cannot listen on the transport asked for on this system (e.g. a kernel without SCTP).</summary>
public sealed class TransportUnavailableException(string message) : Exception(message);
