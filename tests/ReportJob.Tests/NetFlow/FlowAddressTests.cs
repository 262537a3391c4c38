using System.Net;
using ReportJob.NetFlow;

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

    /// <summary>The UTF-8 form the store writes equals <see cref="FlowAddress.ToString"/>, and a short buffer is refused, not overrun.</summary>
    [Fact]
    public void TryFormatUtf8_RandomAddresses_SameAsToString()
    {
        var random = new Random(20261122);
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> text = stackalloc byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            var a = i % 2 == 0 ? FlowAddress.FromIPv4(bytes[..4]) : FlowAddress.FromBytes(bytes);
            if (i % 7 == 0)
            {
                a = FlowAddress.FromIPv4([(byte)(i % 10), 0, (byte)(i % 100), 255]);
            }

            var expected = a.ToString();
            Assert.True(a.TryFormat(text, out var written));
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(text[..written]));
            Assert.False(a.TryFormat(text[..(expected.Length - 1)], out written));
            Assert.Equal(0, written);
        }
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
