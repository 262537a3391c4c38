using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ReportJob.Snapshots;

/// <summary>
/// An address as the runs store it: 4 bytes for IPv4, 16 for IPv6, 20 when an IPv6 address has a scope id (the id after
/// it, big-endian), network order. Held as a value for hashing, so that a snapshot's connections are matched against the
/// open runs without a string or an <see cref="IPAddress"/> per row.
/// </summary>
internal readonly record struct RunAddress(UInt128 Bits, uint ScopeId, bool IsIPv6)
{
    /// <summary>The most bytes <see cref="Write"/> writes.</summary>
    public const int MaxLength = 20;

    public int Length => !IsIPv6 ? 4 : ScopeId == 0 ? 16 : 20;

    // Compared and hashed for every connection of every snapshot: field by field, without the generic comparers.
    public bool Equals(RunAddress other) => Bits == other.Bits && ScopeId == other.ScopeId && IsIPv6 == other.IsIPv6;

    public override int GetHashCode() => HashCode.Combine((ulong)Bits, (ulong)(Bits >> 64), ScopeId, IsIPv6);

    public static RunAddress From(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork && BitConverter.IsLittleEndian)
        {
            // Done for both addresses of every connection of every snapshot: IPAddress.Address is the IPv4 value it holds
            // (network order in memory), where TryWriteBytes goes through a span and a length check.
#pragma warning disable CS0618
            return new RunAddress(BinaryPrimitives.ReverseEndianness((uint)address.Address), 0, false);
#pragma warning restore CS0618
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return length == 4
            ? new RunAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes), 0, false)
            : new RunAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), (uint)address.ScopeId, true);
    }

    /// <summary>The stored bytes back; null when their length is none of 4, 16 and 20.</summary>
    public static RunAddress? Read(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => new RunAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes), 0, false),
        16 => new RunAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), 0, true),
        20 => new RunAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), true),
        _ => null,
    };

    public int Write(Span<byte> destination)
    {
        if (!IsIPv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Bits);
            return 4;
        }

        BinaryPrimitives.WriteUInt128BigEndian(destination, Bits);
        if (ScopeId == 0)
        {
            return 16;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], ScopeId);
        return 20;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[MaxLength];
        var length = Write(bytes);
        return IsIPv6 ? new IPAddress(bytes[..16], ScopeId) : new IPAddress(bytes[..length]);
    }

    /// <summary>The text every source and report shows (<see cref="IPAddress.ToString"/>).</summary>
    public override string ToString() => ToIPAddress().ToString();
}
