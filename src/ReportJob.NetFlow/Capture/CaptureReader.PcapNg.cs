using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class CaptureReader
{
    private const uint BlockInterfaceDescription = 1;
    private const uint BlockPacketObsolete = 2;
    private const uint BlockSimplePacket = 3;
    private const uint BlockEnhancedPacket = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;

    private readonly List<PcapNgInterface> _interfaces = [];

    private bool TryReadPcapNg(out ExportDatagram datagram)
    {
        while (true)
        {
            var offset = _window.Position;
            if (!_window.Ensure(12))
            {
                if (_window.Available == 0)
                {
                    datagram = default;
                    return false;
                }

                datagram = default;
                return CutShort(offset, $"{_window.Available} of a pcapng block header's 12 bytes present");
            }

            var head = _window.Span;
            var type = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (type == PcapNgSectionHeader)
            {
                // pcapng §4.1: the byte-order magic of each section sets the endianness of what follows.
                var magic = BinaryPrimitives.ReadUInt32BigEndian(head[8..]);
                if (magic == ByteOrderMagic)
                {
                    _bigEndian = true;
                }
                else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic)
                {
                    _bigEndian = false;
                }
                else
                {
                    throw new CaptureFormatException($"pcapng section header with bad byte-order magic 0x{magic:X8}", offset);
                }

                _interfaces.Clear();
            }
            else
            {
                type = Read32(head);
            }

            var length = Read32(head[4..]);
            if (length < 12 || length % 4 != 0 || length > (uint)_options.MaxFrameLength + 64)
            {
                throw new CaptureFormatException($"pcapng block of type 0x{type:X} has impossible length {length}", offset);
            }

            if (!_window.Ensure((int)length))
            {
                datagram = default;
                return CutShort(offset, $"a pcapng block announces {length} bytes, {_window.Available} present");
            }

            var block = _window.Span[..(int)length];
            if (Read32(block[^4..]) != length)
            {
                throw new CaptureFormatException("pcapng block trailing length does not match its header", offset);
            }

            var bodyStart = _window.Start + 8;
            var body = block[8..^4];
            _window.Advance((int)length);
            switch (type)
            {
                case BlockInterfaceDescription:
                    _interfaces.Add(ParseInterface(body, offset));
                    break;
                case BlockEnhancedPacket:
                case BlockPacketObsolete:
                    {
                        if (body.Length < 20)
                        {
                            throw new CaptureFormatException("pcapng packet block too short", offset);
                        }

                        var obsolete = type == BlockPacketObsolete;
                        var interfaceId = obsolete ? Read16(body) : Read32(body);
                        var high = Read32(body[4..]);
                        var low = Read32(body[8..]);
                        var captured = Read32(body[12..]);
                        if (captured > (uint)(body.Length - 20))
                        {
                            throw new CaptureFormatException($"pcapng packet block captured length {captured} exceeds the block", offset);
                        }

                        Statistics.Frames++;
                        if (interfaceId >= (uint)_interfaces.Count)
                        {
                            Statistics.SkippedNonIp++;
                            break;
                        }

                        var itf = _interfaces[(int)interfaceId];
                        var ticks = itf.ToTicks(((ulong)high << 32) | low);
                        if (TryParseFrame(itf.LinkType, _window.Buffer, bodyStart + 20, (int)captured, ticks, offset, out datagram))
                        {
                            return true;
                        }

                        break;
                    }

                case BlockSimplePacket:
                    {
                        if (body.Length < 4)
                        {
                            throw new CaptureFormatException("pcapng simple packet block too short", offset);
                        }

                        Statistics.Frames++;
                        if (_interfaces.Count == 0)
                        {
                            Statistics.SkippedNonIp++;
                            break;
                        }

                        // pcapng §4.4: no timestamp, interface 0, captured = min(original, block body).
                        var original = Read32(body);
                        var captured = (int)Math.Min(original, (uint)(body.Length - 4));
                        if (TryParseFrame(_interfaces[0].LinkType, _window.Buffer, bodyStart + 4, captured, 0, offset, out datagram))
                        {
                            return true;
                        }

                        break;
                    }

                default:
                    break;
            }
        }
    }

    private PcapNgInterface ParseInterface(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 8)
        {
            throw new CaptureFormatException("pcapng interface description block too short", offset);
        }

        var linkType = Read16(body);
        var resolution = (byte)6;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = Read16(options);
            var length = Read16(options[2..]);
            var padded = (length + 3) & ~3;
            if (code == 0 || options.Length < 4 + padded)
            {
                break;
            }

            var value = options.Slice(4, length);
            if (code == 9 && length >= 1)
            {
                resolution = value[0];
            }
            else if (code == 14 && length >= 8)
            {
                offsetSeconds = Math.Clamp((long)(_bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value)), -1_000_000_000_000L, 1_000_000_000_000L);
            }

            options = options[(4 + padded)..];
        }

        return new PcapNgInterface(linkType, resolution, offsetSeconds);
    }
}
