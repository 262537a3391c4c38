using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>A host or an exporter within one bucket (or a scanning source within one hour).</summary>
internal readonly record struct AddressKey(FlowAddress Address) : IAggregateKey<AddressKey>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Hash() => AggregateHash.Of(Address);
}
