using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// Forward-only big-endian reader over a span. Every TryRead checks bounds first and does not move
/// on failure, so a caller can report exactly where a structure stopped making sense.
/// </summary>
internal ref struct NetFlowReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public NetFlowReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly ReadOnlySpan<byte> RemainingSpan => _span[_position..];

    public bool TryReadUInt8(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _span[_position];
        _position++;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return true;
    }

    public bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
    {
        if (length < 0 || Remaining < length)
        {
            bytes = default;
            return false;
        }

        bytes = _span.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>A child reader over the next <paramref name="length"/> bytes (a FlowSet body).</summary>
    public bool TryReadChild(int length, out NetFlowReader child)
    {
        if (!TryReadBytes(length, out var bytes))
        {
            child = default;
            return false;
        }

        child = new NetFlowReader(bytes);
        return true;
    }

    public bool TrySkip(int length)
    {
        if (length < 0 || Remaining < length)
        {
            return false;
        }

        _position += length;
        return true;
    }

    /// <summary>True when every remaining byte is zero (padding).</summary>
    public readonly bool RemainingIsZero() => !RemainingSpan.ContainsAnyExcept((byte)0);

    /// <summary>Reads an unsigned big-endian integer of any length 1–8 (reduced-size encoding, RFC 7011 §6.2).</summary>
    public static ulong ReadUnsigned(ReadOnlySpan<byte> value)
    {
        switch (value.Length)
        {
            case 0:
                return 0;
            case 1:
                return value[0];
            case 2:
                return BinaryPrimitives.ReadUInt16BigEndian(value);
            case 4:
                return BinaryPrimitives.ReadUInt32BigEndian(value);
            case 8:
                return BinaryPrimitives.ReadUInt64BigEndian(value);
            default:
                // Odd lengths (3, 5, 6, 7) and over-long fields: keep the low 8 bytes.
                if (value.Length > 8)
                {
                    value = value[^8..];
                }

                ulong result = 0;
                foreach (var b in value)
                {
                    result = (result << 8) | b;
                }

                return result;
        }
    }
}
