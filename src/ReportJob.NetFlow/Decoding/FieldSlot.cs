using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Where one field sits in a fixed-length record, resolved so that reading it as an unsigned integer is
/// one 8-byte big-endian load, a shift and a mask, whatever its length (RFC 7011 §6.2 reduced-size
/// encoding): no branch on the length per record. A slot of length 0 (the default) reads as 0, which is
/// also what a missing field means, so the hot loop needs no "present" test for integer fields.
/// </summary>
/// <remarks>
/// The load window <c>[Window, Window + 8)</c> covers the field (its low 8 bytes when it is longer) and lies
/// inside the record: <see cref="FixedRecordLayout.TryCreate"/> only builds slots for records of at least
/// <see cref="WordLength"/> bytes with <c>Offset + Length &lt;= RecordLength</c>, and the decode loop slices
/// each record to exactly <c>RecordLength</c> bytes (a checked <c>Slice</c>) before reading, so every read
/// is in range. One check per record instead of one per field is the point of the fixed layout.
/// </remarks>
internal readonly struct FieldSlot
{
    /// <summary>Bytes of one load; records shorter than this take the general field plan.</summary>
    public const int WordLength = sizeof(ulong);

    private readonly ulong _mask;
    private readonly ushort _window;
    private readonly byte _shift;

    /// <summary>A slot for the field at <paramref name="offset"/>; requires <c>WordLength &lt;= recordLength</c> and the field inside the record.</summary>
    public FieldSlot(int offset, int length, int recordLength)
    {
        Debug.Assert(recordLength >= WordLength && offset + length <= recordLength, "slot outside the record");
        Offset = (ushort)offset;
        Length = (ushort)length;
        if (length == 0)
        {
            return;
        }

        // Over-long integers keep their low 8 bytes (NetFlowReader.ReadUnsigned).
        var end = offset + length;
        var used = Math.Min(length, WordLength);

        // The window starts at the field, or ends at the record's end when the field is in the last 8 bytes.
        _window = (ushort)Math.Min(end - used, recordLength - WordLength);
        _shift = (byte)(8 * (_window + WordLength - end));
        _mask = used == WordLength ? ulong.MaxValue : (1UL << (8 * used)) - 1;
    }

    public ushort Offset { get; }

    public ushort Length { get; }

    /// <summary>Where the 8-byte load starts: <c>Window + WordLength &lt;= RecordLength</c>.</summary>
    public int Window => _window;

    /// <summary>The field's bytes (checked slice; for the rarely used encodings).</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> record) => record.Slice(Offset, Length);

    /// <summary>Reads the field as an unsigned big-endian integer (0 when absent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUnsigned(ReadOnlySpan<byte> record)
    {
        Debug.Assert(_window + WordLength <= record.Length, "slot outside the record");

        // In range: see the remarks on the type (layout invariant + the loop's checked record slice).
        var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(record), _window));
        return (BigEndian(word) >> _shift) & _mask;
    }

    /// <summary>Reads an address field: 4 bytes IPv4, 16 bytes IPv6, any other length none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FlowAddress ReadAddress(ReadOnlySpan<byte> record)
    {
        Debug.Assert(Offset + Length <= record.Length, "slot outside the record");
        if (Length == 4)
        {
            return FlowAddress.FromIPv4((uint)ReadUnsigned(record));
        }

        if (Length != 16)
        {
            return default;
        }

        // In range: see the remarks on the type.
        ref var value = ref Unsafe.Add(ref MemoryMarshal.GetReference(record), Offset);
        return FlowAddress.FromIPv6(BigEndian(Unsafe.ReadUnaligned<ulong>(ref value)), BigEndian(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref value, 8))));
    }

    private static ulong BigEndian(ulong value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
