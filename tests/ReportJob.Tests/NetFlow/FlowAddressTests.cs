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
