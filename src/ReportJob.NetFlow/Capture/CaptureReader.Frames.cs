using System.Buffers.Binary;

namespace ReportJob.NetFlow.Decoding;

public sealed partial class CaptureReader
{
    private const int LinkNull = 0;
    private const int LinkEthernet = 1;
    private const int LinkRaw = 101;
    private const int LinkRawOpenBsd = 12;
    private const int LinkRawAlt = 14;
    private const int LinkLoop = 108;
    private const int LinkLinuxSll = 113;
    private const int LinkIpv4 = 228;
    private const int LinkIpv6 = 229;
    private const int LinkLinuxSll2 = 276;

    private bool TryParseFrame(int linkType, byte[] buffer, int start, int length, long ticks, long fileOffset, out ExportDatagram datagram)
    {
        datagram = default;
        var frame = buffer.AsSpan(start, length);
        int ipStart;
        switch (linkType)
        {
            case LinkEthernet:
                {
                    if (frame.Length < 14)
                    {
                        Statistics.TruncatedFrames++;
                        return false;
                    }

                    var pos = 12;
                    var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[pos..]);

                    // 802.1Q, 802.1ad (QinQ) and the old 0x9100 tag: 4 bytes each.
                    while (etherType is 0x8100 or 0x88A8 or 0x9100)
                    {
                        pos += 4;
                        if (frame.Length < pos + 2)
                        {
                            Statistics.TruncatedFrames++;
                            return false;
                        }

                        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[pos..]);
                    }

                    if (etherType is not (0x0800 or 0x86DD))
                    {
                        Statistics.SkippedNonIp++;
                        return false;
                    }

                    ipStart = pos + 2;
                    break;
                }

            case LinkLinuxSll:
            case LinkLinuxSll2:
                {
                    var headerLength = linkType == LinkLinuxSll ? 16 : 20;
                    if (frame.Length < headerLength)
                    {
                        Statistics.TruncatedFrames++;
                        return false;
                    }

                    var protocol = BinaryPrimitives.ReadUInt16BigEndian(linkType == LinkLinuxSll ? frame[14..] : frame);
                    if (protocol is not (0x0800 or 0x86DD))
                    {
                        Statistics.SkippedNonIp++;
                        return false;
                    }

                    ipStart = headerLength;
                    break;
                }

            case LinkNull:
            case LinkLoop:
                {
                    if (frame.Length < 4)
                    {
                        Statistics.TruncatedFrames++;
                        return false;
                    }

                    // DLT_NULL stores the family in the capturing host's byte order; DLT_LOOP in network order.
                    var be = BinaryPrimitives.ReadUInt32BigEndian(frame);
                    var le = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                    var family = linkType == LinkLoop ? be : Math.Min(be, le);
                    if (family is not (2 or 10 or 24 or 28 or 30))
                    {
                        Statistics.SkippedNonIp++;
                        return false;
                    }

                    ipStart = 4;
                    break;
                }

            case LinkRaw:
            case LinkRawOpenBsd:
            case LinkRawAlt:
            case LinkIpv4:
            case LinkIpv6:
                ipStart = 0;
                break;
            default:
                Statistics.SkippedNonIp++;
                return false;
        }

        return TryParseIp(buffer, start + ipStart, length - ipStart, ticks, fileOffset, out datagram);
    }

    private bool TryParseIp(byte[] buffer, int start, int length, long ticks, long fileOffset, out ExportDatagram datagram)
    {
        datagram = default;
        var ip = buffer.AsSpan(start, length);
        if (ip.Length < 1)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var version = ip[0] >> 4;
        if (version == 4)
        {
            return TryParseIpv4(buffer, start, length, ticks, fileOffset, out datagram);
        }

        if (version != 6)
        {
            Statistics.SkippedNonIp++;
            return false;
        }

        if (ip.Length < 40)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        var end = payloadLength == 0 ? ip.Length : 40 + payloadLength;
        if (end > ip.Length)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var next = ip[6];
        var pos = 40;

        // RFC 8200 §4: hop-by-hop, routing, destination options, AH, fragment, until UDP.
        while (true)
        {
            if (next == 17)
            {
                break;
            }

            if (next is 0 or 43 or 60 or 51 or 44)
            {
                if (pos + 8 > end)
                {
                    Statistics.TruncatedFrames++;
                    return false;
                }

                if (next == 44)
                {
                    var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[(pos + 2)..]);
                    if ((fragment & 0xFFF9) != 0)
                    {
                        // IPv6 fragments are not reassembled (exporters use IPv4 or small datagrams): count them.
                        Statistics.FragmentsReceived++;
                        Statistics.FragmentsDropped++;
                        return false;
                    }
                }

                var headerLength = next switch
                {
                    44 => 8,
                    51 => (ip[pos + 1] + 2) * 4,
                    _ => (ip[pos + 1] + 1) * 8,
                };
                next = ip[pos];
                pos += headerLength;
                continue;
            }

            Statistics.SkippedNonUdp++;
            return false;
        }

        return TryParseUdp(
            FlowAddress.FromIPv6(ip.Slice(8, 16)),
            FlowAddress.FromIPv6(ip.Slice(24, 16)),
            buffer,
            start + pos,
            end - pos,
            ticks,
            fileOffset,
            out datagram);
    }

    private bool TryParseIpv4(byte[] buffer, int start, int length, long ticks, long fileOffset, out ExportDatagram datagram)
    {
        datagram = default;
        var ip = buffer.AsSpan(start, length);
        if (ip.Length < 20)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || totalLength < headerLength)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        if (totalLength > ip.Length)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var protocol = ip[9];
        var source = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        var moreFragments = (flags & 0x2000) != 0;
        var fragmentOffset = (flags & 0x1FFF) * 8;
        if (protocol != 17)
        {
            Statistics.SkippedNonUdp++;
            return false;
        }

        if (moreFragments || fragmentOffset != 0)
        {
            // RFC 791 §3.2: reassemble by (source, destination, id, protocol).
            var id = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            var data = ip[headerLength..totalLength];
            if (!_reassembler.TryAdd(source, destination, id, protocol, fragmentOffset, moreFragments, data, Statistics.Frames, ticks, out var whole, out var wholeLength))
            {
                return false;
            }

            whole.AsSpan(0, wholeLength).CopyTo(_assembled);
            return TryParseUdp(FlowAddress.FromIPv4(source), FlowAddress.FromIPv4(destination), _assembled, 0, wholeLength, ticks, fileOffset, out datagram);
        }

        return TryParseUdp(
            FlowAddress.FromIPv4(source),
            FlowAddress.FromIPv4(destination),
            buffer,
            start + headerLength,
            totalLength - headerLength,
            ticks,
            fileOffset,
            out datagram);
    }

    private bool TryParseUdp(FlowAddress source, FlowAddress destination, byte[] buffer, int start, int length, long ticks, long fileOffset, out ExportDatagram datagram)
    {
        datagram = default;
        var udp = buffer.AsSpan(start, length);
        if (udp.Length < 8)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < 8 || udpLength > udp.Length)
        {
            Statistics.TruncatedFrames++;
            return false;
        }

        var payload = udp[8..udpLength];
        if (_options.DestinationPorts is { } ports && !ports.Contains(destinationPort))
        {
            Statistics.SkippedFiltered++;
            return false;
        }

        if (_options.OnlyFlowExports && (payload.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(payload) is not (5 or 9 or 10)))
        {
            Statistics.SkippedFiltered++;
            return false;
        }

        datagram = new ExportDatagram(
            source,
            destination,
            sourcePort,
            destinationPort,
            FromTicksSinceEpoch(ticks),
            fileOffset,
            new ReadOnlyMemory<byte>(buffer, start + 8, udpLength - 8));
        return true;
    }
}
