using ReportJob.NetFlow.Decoding;

namespace ReportJob.NetFlow;

/// <summary>
/// A conversation (source, destination, protocol, service port: see <see cref="FlowAggregator.ServicePort"/>) within one
/// bucket. <paramref name="Bucket"/> tells
/// the buckets apart while the aggregator holds the conversations of all its buckets in one table (the number it gave
/// the bucket); it fits in the key's padding, so the key stays 40 bytes.
/// </summary>
internal readonly record struct ConversationKey(FlowAddress Source, FlowAddress Destination, byte Protocol, ushort ServicePort, int Bucket = 0)
    : IAggregateKey<ConversationKey>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Hash() =>
        AggregateHash.Mix(Source.Low ^ (Source.High * 0xC2B2_AE3D_27D4_EB4FUL) ^ (Destination.Low * 0x1656_67B1_9E37_79F9UL)
            ^ (Destination.High * 0x27D4_EB2F_1656_67C5UL) ^ ((((ulong)(uint)Bucket << 24) | ((ulong)Protocol << 16) | ServicePort) * 0x9E37_79B9_7F4A_7C15UL));

    public bool Equals(ConversationKey other) =>
        Source == other.Source && Destination == other.Destination && Protocol == other.Protocol && ServicePort == other.ServicePort
        && Bucket == other.Bucket;

    public override int GetHashCode() => (int)Hash();
}
