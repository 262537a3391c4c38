using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class CaptureReader
{
    private const int MaxDatagram = 65_535;

    /// <summary>
    /// Raw .dat files are export messages back to back. v5 and IPFIX headers give the length
    /// (24 + 48 × count; IPFIX length). A v9 packet has none: its flowsets are walked, and a new
    /// packet starts where a "flowset id" of 5, 9 or 10 appears — ids 2–255 are reserved
    /// (RFC 3954 §5.2), so that can only be the next header. Otherwise the rest is one datagram.
    /// </summary>
    private bool TryReadRaw(out ExportDatagram datagram)
    {
        datagram = default;
        var offset = _window.Position;
        _window.Ensure(MaxDatagram);
        var available = Math.Min(_window.Available, MaxDatagram);
        if (available == 0)
        {
            return false;
        }

        var span = _window.Span[..available];
        var length = available;
        if (span.Length >= 4)
        {
            var version = BinaryPrimitives.ReadUInt16BigEndian(span);
            var second = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            switch (version)
            {
                case 5 when second is > 0 and <= 30:
                    length = Math.Min(available, 24 + (48 * second));
                    break;
                case 10 when second >= 16:
                    length = Math.Min(available, second);
                    break;
                case 9:
                    length = V9Extent(span);
                    break;
                default:
                    break;
            }
        }

        datagram = new ExportDatagram(_options.RawExporter, default, 0, 0, default, offset, new ReadOnlyMemory<byte>(_window.Buffer, _window.Start, length));
        _window.Advance(length);
        Statistics.Frames++;
        return true;
    }

    private static int V9Extent(ReadOnlySpan<byte> span)
    {
        var pos = 20;
        while (pos + 4 <= span.Length)
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(span[pos..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(pos + 2)..]);
            if (id is 5 or 9 or 10)
            {
                return pos;
            }

            if (length < 4 || pos + length > span.Length)
            {
                return span.Length;
            }

            pos += length;
        }

        return span.Length;
    }
}
