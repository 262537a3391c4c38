using System.Net;

namespace ReportJob.NetFlow;

/// <summary>A collector run's settings: NetFlow:Listen with the command line's overrides applied.</summary>
public sealed record ListenSettings(IPAddress Bind, int Port, string OutputPath, TimeSpan RotateEvery, long RotateBytes, int ReceiveBufferBytes)
{
    /// <summary>UDP (the default), TCP or SCTP.</summary>
    public ListenTransport Transport { get; init; } = ListenTransport.Udp;
}
