namespace ReportJob.NetFlow;

/// <summary>A protocol and service port within one bucket.</summary>
internal readonly record struct PortKey(byte Protocol, ushort Port) : IAggregateKey<PortKey>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Hash() => AggregateHash.Mix(((ulong)Protocol << 16) | Port);
}
