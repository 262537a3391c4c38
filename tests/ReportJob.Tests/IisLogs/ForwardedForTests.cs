using System.Text;
using ReportJob.IisLogs;

namespace ReportJob.Tests.IisLogs;

/// <summary>Which client a request counts for with <c>PreferForwardedFor</c>: what a client writes into the header itself is never believed.</summary>
public sealed class ForwardedForTests
{
    [Theory]
    // No trusted proxies listed: the load balancer's own entry (the last one) is the client; what the client sent
    // before it (the left entries) is ignored.
    [InlineData("", "192.168.0.2", "10.5.0.20", "10.5.0.20")]
    [InlineData("", "192.168.0.2", "203.0.113.66,+10.5.0.20", "10.5.0.20")]
    [InlineData("", "192.168.0.2", "203.0.113.66, 10.5.0.20:50123", "10.5.0.20")]
    [InlineData("", "192.168.0.2", "unknown", "192.168.0.2")]
    [InlineData("", "192.168.0.2", "10.5.0.20,+unknown", "192.168.0.2")]
    [InlineData("", "192.168.0.2", "-", "192.168.0.2")]
    // Trusted proxies: skipped from the right; the first address that is not one of them is the client.
    [InlineData("192.168.0.0/24", "192.168.0.2", "203.0.113.66,+10.5.0.20,+192.168.0.7", "10.5.0.20")]
    [InlineData("192.168.0.0/24;10.5.0.20", "192.168.0.2", "203.0.113.66,+10.5.0.20,+192.168.0.7", "203.0.113.66")]
    [InlineData("192.168.0.2", "192.168.0.2", "2001:db8::5,+192.168.0.2", "2001:db8::5")]
    // Every entry a trusted proxy: the leftmost, the farthest one known.
    [InlineData("192.168.0.0/24", "192.168.0.2", "192.168.0.9,+192.168.0.7", "192.168.0.9")]
    // A client that reaches the server directly (c-ip not a trusted proxy) counts as itself, whatever it sends.
    [InlineData("192.168.0.0/24", "10.9.9.9", "10.5.0.20", "10.9.9.9")]
    [InlineData("2001:db8:1::/48", "2001:db8:1::1", "10.5.0.20", "10.5.0.20")]
    public void Client_FromTheRightPastTrustedProxies(string proxies, string clientIp, string forwardedFor, string expected)
    {
        var options = new IisLogsOptions { PreferForwardedFor = true, TrustedProxies = [.. proxies.Split(';', StringSplitOptions.RemoveEmptyEntries)] };

        Assert.Equal(expected, CountedClient(options, clientIp, forwardedFor));
    }

    [Fact]
    public void Header_IgnoredWithoutPreferForwardedFor() =>
        Assert.Equal("192.168.0.2", CountedClient(new IisLogsOptions { TrustedProxies = ["192.168.0.0/24"] }, "192.168.0.2", "10.5.0.20"));

    [Fact]
    public void TrustedProxies_NotASubnet_NamedByValidation()
    {
        var options = new IisLogsOptions { TrustedProxies = ["192.168.0.0/24", "lb01.contoso.com"] };

        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));

        Assert.Contains("IisLogs:TrustedProxies 'lb01.contoso.com'", error.ErrorMessage, StringComparison.Ordinal);
    }

    private static string CountedClient(IisLogsOptions options, string clientIp, string forwardedFor)
    {
        var aggregator = new IisAggregator(options);
        var record = new W3cRecord
        {
            Day = new DateOnly(2026, 11, 20),
            ClientIp = Encoding.ASCII.GetBytes(clientIp),
            UriStem = "/mapi/emsmdb/"u8,
            UserName = "-"u8,
            UserAgent = "-"u8,
            ForwardedFor = Encoding.ASCII.GetBytes(forwardedFor),
            Status = 200,
            BytesSent = -1,
            BytesReceived = -1,
        };

        Assert.Null(aggregator.Add(record));
        return Assert.Single(aggregator.TakeBatch().Clients).Client;
    }
}
