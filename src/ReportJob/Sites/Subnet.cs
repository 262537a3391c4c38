using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReportJob.Sites;

/// <summary>An IPv4 or IPv6 network in CIDR form; host bits are cleared.</summary>
public readonly record struct Subnet
{
    private Subnet(UInt128 bits, int prefixLength, bool isIPv4)
    {
        Bits = bits;
        PrefixLength = prefixLength;
        IsIPv4 = isIPv4;
    }

    /// <summary>The network address as a 128-bit number (IPv4 in the low 32 bits).</summary>
    public UInt128 Bits { get; }

    public int PrefixLength { get; }

    public bool IsIPv4 { get; }

    public IPAddress Network => ToAddress(Bits, IsIPv4);

    public static Subnet Create(IPAddress address, int prefixLength)
    {
        var (bits, v4) = ToBits(address);
        var max = v4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), $"prefix length {prefixLength} is outside 0..{max}");
        }

        return new Subnet(bits & Mask(prefixLength, v4), prefixLength, v4);
    }

    /// <summary>
    /// Parses <c>10.2.1.0/24</c>, <c>2001:db8::/48</c>, a bare address (a host route), and the seed's shorthand of
    /// one to three IPv4 octets (<c>10.2.1</c> = 10.2.1.0/24, <c>10.2</c> = 10.2.0.0/16).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Subnet? subnet)
    {
        subnet = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? s : s[..slash];
        int? prefix = null;
        if (slash >= 0)
        {
            if (!int.TryParse(s.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                return false;
            }

            prefix = p;
        }

        if (!addressPart.Contains(':', StringComparison.Ordinal))
        {
            var parts = addressPart.Split('.');
            if (parts.Length is < 1 or > 4 || parts.Any(p => p.Length == 0 || p.Length > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
            {
                return false;
            }

            if (parts.Length < 4)
            {
                prefix ??= parts.Length * 8;
                addressPart = string.Join('.', parts.Concat(Enumerable.Repeat("0", 4 - parts.Length)));
            }
        }

        if (!IPAddress.TryParse(addressPart, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = prefix ?? max;
        if (length < 0 || length > max)
        {
            return false;
        }

        subnet = Create(address, length);
        return true;
    }

    public static Subnet Parse(string text) =>
        TryParse(text, out var s) ? s.Value : throw new FormatException($"'{text}' is not a subnet (expected CIDR like 10.2.1.0/24 or 2001:db8::/48, or the shorthand 10.2.1)");

    public bool Contains(IPAddress address)
    {
        var (bits, v4) = ToBits(address);
        return v4 == IsIPv4 && (bits & Mask(PrefixLength, v4)) == Bits;
    }

    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    internal static (UInt128 Bits, bool IsIPv4) ToBits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return (BinaryPrimitives.ReadUInt32BigEndian(bytes), true);
        }

        address.TryWriteBytes(bytes, out _);
        return (BinaryPrimitives.ReadUInt128BigEndian(bytes), false);
    }

    internal static UInt128 Mask(int prefixLength, bool isIPv4)
    {
        var width = isIPv4 ? 32 : 128;
        if (prefixLength == 0)
        {
            return UInt128.Zero;
        }

        var all = isIPv4 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
        return (all << (width - prefixLength)) & all;
    }

    private static IPAddress ToAddress(UInt128 bits, bool isIPv4)
    {
        if (isIPv4)
        {
            return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)bits));
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return new IPAddress(bytes);
    }
}
