using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReportJob.NetFlow.Decoding;

/// <summary>
/// An IPv4 or IPv6 address stored inline in 16 bytes (IPv4 as an IPv4-mapped IPv6 address,
/// <c>::ffff:a.b.c.d</c>), so it can be copied, compared and hashed without allocating.
/// </summary>
public readonly record struct FlowAddress : IComparable<FlowAddress>, IUtf8SpanFormattable
{
    private const ulong MappedPrefix = 0x0000_FFFF_0000_0000UL;

    private readonly ulong _high;
    private readonly ulong _low;

    private FlowAddress(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>The all-zero IPv6 address <c>::</c> (also the default value).</summary>
    public static FlowAddress None => default;

    /// <summary>True when this is an IPv4 address (IPv4-mapped form).</summary>
    public bool IsIPv4 => _high == 0 && (_low & 0xFFFF_FFFF_0000_0000UL) == MappedPrefix;

    /// <summary>True for <c>::</c> and <c>0.0.0.0</c>.</summary>
    public bool IsUnspecified => _high == 0 && (_low == 0 || _low == MappedPrefix);

    /// <summary>The first 64 bits in network order (0 for IPv4): with <see cref="Low"/>, a seed-free key for hash tables.</summary>
    public ulong High => _high;

    /// <summary>The last 64 bits in network order (<c>0000:ffff:a.b.c.d</c> for IPv4).</summary>
    public ulong Low => _low;

    /// <summary>The IPv4 address as a host-order integer; only meaningful when <see cref="IsIPv4"/>.</summary>
    public uint IPv4Value => (uint)_low;

    /// <summary>Creates an IPv4 address from its host-order 32-bit value.</summary>
    public static FlowAddress FromIPv4(uint address) => new(0, MappedPrefix | address);

    /// <summary>Creates an IPv4 address from 4 network-order bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 4 bytes long.</exception>
    public static FlowAddress FromIPv4(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 4)
        {
            throw new ArgumentException("An IPv4 address is 4 bytes.", nameof(bytes));
        }

        return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    /// <summary>Creates an IPv6 address from 16 network-order bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 16 bytes long.</exception>
    public static FlowAddress FromIPv6(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            throw new ArgumentException("An IPv6 address is 16 bytes.", nameof(bytes));
        }

        return new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>An IPv6 address from its two network-order halves read as big-endian integers.</summary>
    internal static FlowAddress FromIPv6(ulong high, ulong low) => new(high, low);

    /// <summary>Creates an address from 4 (IPv4) or 16 (IPv6) bytes; any other length gives <see cref="None"/>.</summary>
    public static FlowAddress FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        4 => FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes)),
        16 => new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
        _ => default,
    };

    /// <summary>Converts from <see cref="IPAddress"/> (IPv4 and IPv4-mapped IPv6 both become IPv4).</summary>
    public static FlowAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> buffer = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(buffer, out _);
            return FromIPv4(buffer[..4]);
        }

        address.TryWriteBytes(buffer, out _);
        return FromIPv6(buffer);
    }

    /// <summary>Parses dotted IPv4 or any IPv6 text form.</summary>
    /// <exception cref="FormatException">The text is not an IP address.</exception>
    public static FlowAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address.");

    /// <summary>Parses dotted IPv4 or any IPv6 text form.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out FlowAddress address)
    {
        if (IPAddress.TryParse(text, out var ip))
        {
            address = FromIPAddress(ip);
            return true;
        }

        address = default;
        return false;
    }

    /// <summary>Parses dotted IPv4 or any IPv6 text form.</summary>
    public static bool TryParse(string? text, out FlowAddress address)
    {
        if (text is null)
        {
            address = default;
            return false;
        }

        return TryParse(text.AsSpan(), out address);
    }

    /// <summary>Writes the 16-byte (IPv6 or IPv4-mapped) network-order form.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Converts to <see cref="IPAddress"/> (allocates; IPv4 becomes a 4-byte address).</summary>
    public IPAddress ToIPAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)_low);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        WriteBytes(v6);
        return new IPAddress(v6);
    }

    /// <summary>Dotted quad for IPv4, RFC 5952 canonical text for IPv6.</summary>
    public override string ToString()
    {
        if (IsIPv4)
        {
            var v = (uint)_low;
            return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
        }

        Span<byte> text = stackalloc byte[MaxIPv6TextLength];
        if (TryFormatIPv6(text, out var written))
        {
            return System.Text.Encoding.ASCII.GetString(text[..written]);
        }

        return ToIPAddress().ToString();
    }

    /// <summary>
    /// The text of <see cref="ToString"/> as UTF-8, without a string for IPv4 (the store writes addresses this way);
    /// false when <paramref name="utf8Destination"/> is too short. The format and provider are not used.
    /// </summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        if (!IsIPv4)
        {
            return TryFormatIPv6(utf8Destination, out bytesWritten) || ToIPAddress().TryFormat(utf8Destination, out bytesWritten);
        }

        var v = (uint)_low;
        bytesWritten = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var octet = (v >> shift) & 0xFF;
            var length = octet >= 100 ? 3 : octet >= 10 ? 2 : 1;
            if (utf8Destination.Length < bytesWritten + length + (shift > 0 ? 1 : 0))
            {
                bytesWritten = 0;
                return false;
            }

            for (var i = length - 1; i >= 0; i--, octet /= 10)
            {
                utf8Destination[bytesWritten + i] = (byte)('0' + (octet % 10));
            }

            bytesWritten += length;
            if (shift > 0)
            {
                utf8Destination[bytesWritten++] = (byte)'.';
            }
        }

        return true;
    }

    // Eight groups of four hex digits and seven colons.
    private const int MaxIPv6TextLength = 39;

    /// <summary>
    /// RFC 5952 text of an IPv6 address (lower-case hex without leading zeros, the longest run of two or more zero
    /// groups, the first of equal ones, as "::"), without allocating. False, for <see cref="IPAddress"/> to write, when
    /// the destination may be too short or the address is of the forms IPAddress writes with an IPv4 tail
    /// (<c>::a.b.c.d</c>, <c>::ffff:0:a.b.c.d</c>, ISATAP): all addresses whose first 64 bits are zero, and ISATAP.
    /// </summary>
    private bool TryFormatIPv6(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (_high == 0 || (_low >> 32) == 0x5EFE || destination.Length < MaxIPv6TextLength)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 4; i++)
        {
            groups[i] = (ushort)(_high >> (48 - (16 * i)));
            groups[i + 4] = (ushort)(_low >> (48 - (16 * i)));
        }

        var (runStart, runLength) = (-1, 1);
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var end = i;
            while (end < 8 && groups[end] == 0)
            {
                end++;
            }

            if (end - i > runLength)
            {
                (runStart, runLength) = (i, end - i);
            }

            i = end;
        }

        var position = 0;
        for (var i = 0; i < 8; i++)
        {
            if (i == runStart)
            {
                destination[position++] = (byte)':';
                destination[position++] = (byte)':';
                i += runLength - 1;
                continue;
            }

            if (i > 0 && i != runStart + runLength)
            {
                destination[position++] = (byte)':';
            }

            var group = groups[i];
            for (var shift = group >= 0x1000 ? 12 : group >= 0x100 ? 8 : group >= 0x10 ? 4 : 0; shift >= 0; shift -= 4)
            {
                destination[position++] = "0123456789abcdef"u8[(group >> shift) & 0xF];
            }
        }

        bytesWritten = position;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(FlowAddress other) => _high == other._high && _low == other._low;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    /// <summary>Orders by the 16-byte network-order value.</summary>
    public int CompareTo(FlowAddress other)
    {
        var c = _high.CompareTo(other._high);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    /// <summary>Less than, by network-order value.</summary>
    public static bool operator <(FlowAddress left, FlowAddress right) => left.CompareTo(right) < 0;

    /// <summary>Greater than, by network-order value.</summary>
    public static bool operator >(FlowAddress left, FlowAddress right) => left.CompareTo(right) > 0;

    /// <summary>Less than or equal, by network-order value.</summary>
    public static bool operator <=(FlowAddress left, FlowAddress right) => left.CompareTo(right) <= 0;

    /// <summary>Greater than or equal, by network-order value.</summary>
    public static bool operator >=(FlowAddress left, FlowAddress right) => left.CompareTo(right) >= 0;
}
