using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Where one field sits in a fixed-length record. A slot of length 0 (the default) reads as 0, which is
/// also what a missing field means, so the hot loop needs no "present" test for integer fields.
/// </summary>
/// <remarks>
/// The readers take a whole record and do not bounds-check each field: <see cref="FixedRecordLayout.TryCreate"/>
/// only builds slots with <c>Offset + Length &lt;= RecordLength</c>, and the decode loop slices each record
/// to exactly <c>RecordLength</c> bytes (a checked <c>Slice</c>) before reading, so every read is in range.
/// One check per record instead of one per field is the point of the fixed layout.
/// </remarks>
internal readonly record struct FieldSlot(ushort Offset, ushort Length)
{
    /// <summary>The field's bytes (checked slice; for the rarely used encodings).</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> record) => record.Slice(Offset, Length);

    /// <summary>Reads the field as an unsigned big-endian integer (RFC 7011 §6.2 reduced-size encoding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUnsigned(ReadOnlySpan<byte> record)
    {
        Debug.Assert(Offset + Length <= record.Length, "slot outside the record");

        // In range: see the remarks on the type (layout invariant + the loop's checked record slice).
        ref var value = ref Unsafe.Add(ref MemoryMarshal.GetReference(record), Offset);

        // The common widths first, branch by branch: a template fixes them, so the branches predict.
        if (Length == 4)
        {
            return BigEndian(Unsafe.ReadUnaligned<uint>(ref value));
        }

        if (Length == 2)
        {
            return BigEndian(Unsafe.ReadUnaligned<ushort>(ref value));
        }

        if (Length == 1)
        {
            return value;
        }

        if (Length == 0)
        {
            return 0;
        }

        return Length == 8
            ? BigEndian(Unsafe.ReadUnaligned<ulong>(ref value))
            : NetFlowReader.ReadUnsigned(MemoryMarshal.CreateReadOnlySpan(ref value, Length));
    }

    /// <summary>Reads an address field: 4 bytes IPv4, 16 bytes IPv6, any other length none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FlowAddress ReadAddress(ReadOnlySpan<byte> record)
    {
        Debug.Assert(Offset + Length <= record.Length, "slot outside the record");

        // In range: see the remarks on the type.
        ref var value = ref Unsafe.Add(ref MemoryMarshal.GetReference(record), Offset);
        if (Length == 4)
        {
            return FlowAddress.FromIPv4(BigEndian(Unsafe.ReadUnaligned<uint>(ref value)));
        }

        return Length == 16 ? FlowAddress.FromIPv6(MemoryMarshal.CreateReadOnlySpan(ref value, 16)) : default;
    }

    private static uint BigEndian(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    private static ushort BigEndian(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    private static ulong BigEndian(ulong value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
