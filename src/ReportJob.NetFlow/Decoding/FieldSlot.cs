using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReportJob.NetFlow;

/// <summary>
/// Where one field sits in a fixed-length record. A slot of length 0 (the default) reads as 0, which is
/// also what a missing field means, so the hot loop needs no "present" test for integer fields.
/// </summary>
internal readonly record struct FieldSlot(ushort Offset, ushort Length)
{
    /// <summary>The field's bytes; <paramref name="record"/> is a whole record, so the slot is in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> record) => record.Slice(Offset, Length);

    /// <summary>Reads the field as an unsigned big-endian integer (RFC 7011 §6.2 reduced-size encoding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUnsigned(ReadOnlySpan<byte> record)
    {
        // The common widths first, branch by branch: a template fixes them, so the branches predict.
        var value = record.Slice(Offset, Length);
        if (Length == 4)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(value);
        }

        if (Length == 2)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(value);
        }

        if (Length == 1)
        {
            return value[0];
        }

        if (Length == 0)
        {
            return 0;
        }

        return Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(value) : NetFlowReader.ReadUnsigned(value);
    }
}
