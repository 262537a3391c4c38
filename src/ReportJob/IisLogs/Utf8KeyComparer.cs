using System.Runtime.InteropServices;

namespace ReportJob.IisLogs;

/// <summary>
/// Compares byte-array keys, and looks them up by <see cref="ReadOnlySpan{T}"/> without allocating. The hash is the
/// runtime's randomised string hash (Marvin) over the bytes, so hostile log content cannot aim for collisions.
/// </summary>
internal sealed class Utf8KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly Utf8KeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = string.GetHashCode(MemoryMarshal.Cast<byte, char>(alternate));
        return (alternate.Length & 1) == 0 ? hash : HashCode.Combine(hash, alternate[^1]);
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
