using System.Net;
using ReportJob.NetFlow;
using ReportJob.NetFlow.Decoding;
using ReportJob.Sites;

namespace ReportJob.Tests.NetFlow;

public sealed class SiteResolverTests
{
    private static readonly SiteMap Map = new(new[]
    {
        ("10.0.0.0/8", "Corp"), ("10.2.0.0/16", "Branch"), ("10.2.1.0/24", "Branch-Floor1"), ("10.2.1.77/32", "Printer"),
        ("192.168.0.0/23", "Lab"), ("2001:db8::/32", "Corp-v6"), ("2001:db8:1::/48", "Lab-v6"), ("2001:db8:1:0:8000::/65", "Half-v6"),
    }.Select(r => new SiteSubnet(Subnet.Parse(r.Item1), r.Item2)));

    /// <summary>The flow path (address bits, no IPAddress) agrees with the site map's IPAddress lookup, on and beside every prefix's edges.</summary>
    [Fact]
    public void Site_FromFlowAddress_SameAsSiteMapLookup()
    {
        var resolver = new SiteResolver(Map);
        var random = new Random(7);
        var checkedSites = new HashSet<string>();
        var bases = new[] { "10.0.0.0", "10.2.0.0", "10.2.1.0", "10.2.1.77", "192.168.0.0", "192.168.1.255", "192.168.2.0", "11.0.0.0", "2001:db8::", "2001:db8:1::", "2001:db8:1:0:8000::", "2001:db9::" };
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = IPAddress.Parse(bases[i % bases.Length]).GetAddressBytes();
            // Flip a few random low-order bits (sometimes none), so that addresses fall on both sides of each prefix.
            for (var flips = random.Next(3); flips > 0; flips--)
            {
                var bit = bytes.Length * 8 - 1 - random.Next(Math.Min(bytes.Length * 8, 72));
                bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            }

            var address = new IPAddress(bytes);
            var expected = Map.Lookup(address);
            Assert.Equal(expected, resolver.Site(FlowAddress.FromIPAddress(address)));
            Assert.Equal(expected, resolver.Site(FlowAddress.FromIPAddress(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address)));
            checkedSites.Add(expected);
        }

        Assert.Equal([SiteMap.Unknown, "Branch", "Branch-Floor1", "Corp", "Corp-v6", "Half-v6", "Lab", "Lab-v6", "Printer"], checkedSites.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Site_EmptyMap_Unknown() =>
        Assert.Equal(SiteMap.Unknown, new SiteResolver(SiteMap.Empty).Site(FlowAddress.Parse("10.1.2.3")));
}
