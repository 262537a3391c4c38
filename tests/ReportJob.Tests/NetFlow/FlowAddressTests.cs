using System.Net;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;

namespace ReportJob.Tests.NetFlow;

public sealed class FlowAddressTests
{
    [Theory]
    [InlineData("10.0.2.15", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("fe80::fa53:29ff:fe3a:3152", false)]
    [InlineData("::", false)]
    public void Parse_RoundTripsThroughToString(string text, bool isIPv4)
    {
        var a = FlowAddress.Parse(text);
        Assert.Equal(isIPv4, a.IsIPv4);
        Assert.Equal(text, a.ToString());
        Assert.Equal(IPAddress.Parse(text), a.ToIPAddress());
    }

    /// <summary>
    /// The text (<see cref="FlowAddress.ToString"/>) and the UTF-8 form the store writes equal what <see cref="IPAddress"/>
    /// writes, and a short buffer is refused, not overrun. Half of the IPv6 addresses have groups that are zero, so that
    /// runs of zeros of every length and place, ties among them, and the forms with an IPv4 tail come up.
    /// </summary>
    [Fact]
    public void TryFormatUtf8_RandomAddresses_SameAsIPAddress()
    {
        var random = new Random(20261122);
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> text = stackalloc byte[64];
        for (var i = 0; i < 40_000; i++)
        {
            random.NextBytes(bytes);
            if (i % 4 == 3)
            {
                for (var g = 0; g < 8; g++)
                {
                    if (random.Next(2) == 0)
                    {
                        bytes[2 * g] = bytes[(2 * g) + 1] = 0;
                    }
                }

                if (i % 40 == 3)
                {
                    (bytes[8], bytes[9], bytes[10], bytes[11]) = (0, 0, 0x5E, 0xFE);
                }
            }

            var a = i % 2 == 0 ? FlowAddress.FromIPv4(bytes[..4]) : FlowAddress.FromBytes(bytes);
            if (i % 7 == 0)
            {
                a = FlowAddress.FromIPv4([(byte)(i % 10), 0, (byte)(i % 100), 255]);
            }

            var expected = a.ToIPAddress().ToString();
            Assert.Equal(expected, a.ToString());
            Assert.True(a.TryFormat(text, out var written));
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(text[..written]));
            Assert.False(a.TryFormat(text[..(expected.Length - 1)], out written));
            Assert.Equal(0, written);
        }
    }

    /// <summary>The store formats every address it writes: an IPv6 one costs no allocation (IPv4 never did).</summary>
    [Fact]
    public void TryFormatUtf8_IPv6_DoesNotAllocate()
    {
        var addresses = Enumerable.Range(0, 1000).Select(i => FlowAddress.Parse($"2001:db8:{i:x}::{i % 7:x}:1")).ToArray();
        var text = new byte[64];
        var length = 0;
        foreach (var a in addresses)
        {
            Assert.True(a.TryFormat(text, out var written));
            length += written;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var a in addresses)
        {
            a.TryFormat(text, out var written);
            length -= written;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, length);
    }

    [Fact]
    public void Equality_SameAddressFromDifferentSources_IsEqualAndHashesEqual()
    {
        var a = FlowAddress.FromIPv4([192, 0, 2, 1]);
        var b = FlowAddress.Parse("192.0.2.1");
        var mapped = FlowAddress.Parse("::ffff:192.0.2.1");
        Assert.Equal(a, b);
        Assert.Equal(a, mapped);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, FlowAddress.Parse("192.0.2.2"));
    }

    [Fact]
    public void TryParse_Garbage_ReturnsFalse()
    {
        Assert.False(FlowAddress.TryParse("not an ip", out _));
        Assert.False(FlowAddress.TryParse((string?)null, out _));
    }
}
