using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads the text of /proc/net/tcp and /proc/net/tcp6, also both concatenated (what <c>cat</c> gives over ssh).
/// A row is <c>sl: LOCAL:PORT REMOTE:PORT ST …</c> (net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c
/// get_tcp6_sock): an address is the hex of 32-bit words (one for IPv4, four for IPv6) printed in the kernel's
/// host byte order, the port and the state are plain hex. The columns after the state (queues, timers, uid,
/// inode) are not needed. A line that cannot be read is counted in the report with its number; it never throws.
/// </summary>
internal static class ProcNetTcpParser
{
    /// <summary>Appends the rows of <paramref name="text"/> to <paramref name="into"/>.</summary>
    /// <param name="source">Names the text in malformed-line reports (a file, or the ssh command).</param>
    /// <param name="littleEndian">
    /// The byte order of the machine that wrote the text. The local machine's is known; over ssh it is taken
    /// to be little-endian, which x86-64 and arm64 servers are.
    /// </param>
    public static void Parse(ReadOnlySpan<byte> text, List<TcpConnection> into, TcpTableParseReport report, string source, bool littleEndian = true)
    {
        var lineNumber = 0;
        var cache = default(AddressCache);
        while (!text.IsEmpty)
        {
            lineNumber++;
            var end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line;
            if (end < 0)
            {
                line = text;
                text = default;
            }
            else
            {
                line = text[..end];
                text = text[(end + 1)..];
            }

            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.StartsWith("sl"u8))
            {
                report.Header();
                continue;
            }

            var error = ParseRow(line, littleEndian, ref cache, out var connection);
            if (error is null)
            {
                into.Add(connection);
                report.Row();
            }
            else
            {
                report.Malformed(source, lineNumber, error);
            }
        }
    }

    private static string? ParseRow(ReadOnlySpan<byte> line, bool littleEndian, ref AddressCache cache, out TcpConnection connection)
    {
        connection = default;
        var rest = line;
        var slot = NextToken(ref rest);
        var local = NextToken(ref rest);
        var remote = NextToken(ref rest);
        var state = NextToken(ref rest);
        if (slot.Length < 2 || slot[^1] != (byte)':' || !IsDecimal(slot[..^1]) || state.IsEmpty)
        {
            return $"expected 'sl: local_address rem_address st …', found '{Text(line)}'";
        }

        if (!TryEndpoint(local, littleEndian, ref cache, isLocal: true, out var localAddress, out var localPort))
        {
            return $"bad local address '{Text(local)}'";
        }

        if (!TryEndpoint(remote, littleEndian, ref cache, isLocal: false, out var remoteAddress, out var remotePort))
        {
            return $"bad remote address '{Text(remote)}'";
        }

        if (state.Length != 2 || !TryHex(state, out var code) || MapState(code) is not { } tcpState)
        {
            return $"unknown state '{Text(state)}'";
        }

        connection = new TcpConnection(localAddress, localPort, remoteAddress, remotePort, tcpState);
        return null;
    }

    /// <summary>Linux's TCP states (include/net/tcp_states.h) as the Windows-numbered <see cref="TcpState"/>.</summary>
    internal static TcpState? MapState(uint code) => code switch
    {
        0x01 => TcpState.Established,
        0x02 => TcpState.SynSent,
        0x03 => TcpState.SynReceived,
        0x04 => TcpState.FinWait1,
        0x05 => TcpState.FinWait2,
        0x06 => TcpState.TimeWait,
        0x07 => TcpState.Closed,
        0x08 => TcpState.CloseWait,
        0x09 => TcpState.LastAck,
        0x0A => TcpState.Listen,
        0x0B => TcpState.Closing,
        0x0C => TcpState.SynReceived, // TCP_NEW_SYN_RECV: a request socket, still a half-open connection
        0x0D => TcpState.Bound,       // TCP_BOUND_INACTIVE (Linux 6.7+): bound, neither listening nor connected
        _ => null,
    };

    private static bool TryEndpoint(ReadOnlySpan<byte> token, bool littleEndian, ref AddressCache cache, bool isLocal, out IPAddress address, out int port)
    {
        address = IPAddress.None;
        port = 0;
        var colon = token.IndexOf((byte)':');
        if (colon < 0 || token.Length - colon - 1 is < 1 or > 4 || !TryHex(token[(colon + 1)..], out var p))
        {
            return false;
        }

        port = (int)p;
        var hex = token[..colon];
        Span<byte> bytes = stackalloc byte[16];
        if (hex.Length == 8)
        {
            if (!TryWord(hex, littleEndian, bytes))
            {
                return false;
            }

            address = cache.Get(bytes[..4], isLocal);
            return true;
        }

        if (hex.Length != 32)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (!TryWord(hex.Slice(i * 8, 8), littleEndian, bytes.Slice(i * 4, 4)))
            {
                return false;
            }
        }

        // IPv4-mapped (::ffff:a.b.c.d) is given as IPv4, as SnapshotStore.Normalize does, without the detour.
        address = bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xFF && bytes[11] == 0xFF
            ? cache.Get(bytes[12..], isLocal)
            : cache.Get(bytes, isLocal);
        return true;
    }

    private static bool TryWord(ReadOnlySpan<byte> hex, bool littleEndian, Span<byte> destination)
    {
        if (!TryHex(hex, out var word))
        {
            return false;
        }

        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, word);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, word);
        }

        return true;
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, out uint value)
    {
        value = 0;
        if (hex.IsEmpty || hex.Length > 8)
        {
            return false;
        }

        foreach (var c in hex)
        {
            uint digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => (uint)(c - '0'),
                >= (byte)'A' and <= (byte)'F' => (uint)(c - 'A' + 10),
                >= (byte)'a' and <= (byte)'f' => (uint)(c - 'a' + 10),
                _ => uint.MaxValue,
            };
            if (digit == uint.MaxValue)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static bool IsDecimal(ReadOnlySpan<byte> s) => !s.IsEmpty && s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static ReadOnlySpan<byte> NextToken(ref ReadOnlySpan<byte> rest)
    {
        var start = rest.IndexOfAnyExcept((byte)' ', (byte)'\t');
        if (start < 0)
        {
            rest = default;
            return default;
        }

        rest = rest[start..];
        var end = rest.IndexOfAny((byte)' ', (byte)'\t');
        var token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[end..];
        return token;
    }

    private static string Text(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s.Length > 120 ? s[..120] : s);

    /// <summary>
    /// The last local and remote address of the parse: a server's rows share a handful of local addresses, so most
    /// rows reuse the instance instead of allocating one. Scoped to one parse, never static.
    /// </summary>
    private struct AddressCache
    {
        private IPAddress? _local;
        private IPAddress? _remote;

        public IPAddress Get(ReadOnlySpan<byte> bytes, bool isLocal)
        {
            ref var slot = ref isLocal ? ref _local : ref _remote;
            if (slot is not null && Matches(slot, bytes))
            {
                return slot;
            }

            slot = new IPAddress(bytes);
            return slot;
        }

        private static bool Matches(IPAddress address, ReadOnlySpan<byte> bytes)
        {
            Span<byte> current = stackalloc byte[16];
            return address.TryWriteBytes(current, out var written) && current[..written].SequenceEqual(bytes);
        }
    }
}
