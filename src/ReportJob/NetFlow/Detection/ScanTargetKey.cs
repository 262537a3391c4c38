using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// A target of a source's probe-shaped flows within one hour (or of a mail sender's flows, see <see cref="FanOutTracker"/>): a destination host (<see cref="Port"/> -1) or a protocol/port
/// (<c>protocol &lt;&lt; 16 | port</c>; <see cref="Host"/> unused).
/// </summary>
internal readonly record struct ScanTargetKey(FlowAddress Source, FlowAddress Host, int Port) : IAggregateKey<ScanTargetKey>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Hash() =>
        AggregateHash.Mix(Source.Low ^ (Source.High * 0xC2B2_AE3D_27D4_EB4FUL) ^ (Host.Low * 0x1656_67B1_9E37_79F9UL)
            ^ (Host.High * 0x27D4_EB2F_1656_67C5UL) ^ ((ulong)(uint)Port * 0x9E37_79B9_7F4A_7C15UL));

    public bool Equals(ScanTargetKey other) => Source == other.Source && Host == other.Host && Port == other.Port;

    public override int GetHashCode() => (int)Hash();
}
