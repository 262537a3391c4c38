using System.Net;
using ReportJob.Sites;

namespace ReportJob.Tests.Sites;

public sealed class SiteMapTests
{
    private static SiteMap Map(params (string Subnet, string Site)[] rows) => new(rows.Select(r => new SiteSubnet(Subnet.Parse(r.Subnet), r.Site)));

    [Theory]
    [InlineData("10.2.1", "10.2.1.0/24")]
    [InlineData("10.2", "10.2.0.0/16")]
    [InlineData("10", "10.0.0.0/8")]
    [InlineData("10.2.1.77/24", "10.2.1.0/24")]
    [InlineData("192.168.5.9", "192.168.5.9/32")]
    [InlineData("2001:db8:1::/48", "2001:db8:1::/48")]
    [InlineData("2001:db8:1:ffff::1/48", "2001:db8:1::/48")]
    [InlineData("::ffff:10.1.2.3/16", "10.1.0.0/16")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Parse_Forms_Canonical(string text, string expected) => Assert.Equal(expected, Subnet.Parse(text).ToString());

    [Theory]
    [InlineData("10.2.1.0/33")]
    [InlineData("10.256.1")]
    [InlineData("site")]
    [InlineData("10..1")]
    [InlineData("2001:db8::/129")]
    [InlineData("")]
    public void TryParse_Invalid_False(string text) => Assert.False(Subnet.TryParse(text, out _));

    [Theory]
    [InlineData("10.2.1.5", "Branch-Floor1")]
    [InlineData("10.2.9.5", "Branch")]
    [InlineData("10.9.9.9", "Corp")]
    [InlineData("172.16.0.1", SiteMap.Unknown)]
    [InlineData("2001:db8:1:2::5", "Lab-v6")]
    [InlineData("2001:db8:2::5", "Corp-v6")]
    [InlineData("::ffff:10.2.1.5", "Branch-Floor1")]
    public void Lookup_LongestPrefix_Wins(string address, string site)
    {
        var map = Map(("10", "Corp"), ("10.2", "Branch"), ("10.2.1", "Branch-Floor1"), ("2001:db8::/32", "Corp-v6"), ("2001:db8:1::/48", "Lab-v6"));
        Assert.Equal(site, map.Lookup(IPAddress.Parse(address)));
    }

    [Fact]
    public void Lookup_IPv4AndIPv6_DoNotMix()
    {
        var map = Map(("0.0.0.0/0", "v4-any"));
        Assert.Equal(SiteMap.Unknown, map.Lookup(IPAddress.Parse("::1")));
        Assert.Equal("v4-any", map.Lookup(IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public void Read_SeedFormatWithHeaderAndQuotes_AllRows()
    {
        var csv = "\"Subnet\",\"Sitename\"\n\"10.2.1\",\"Paris\"\n10.3.0.0/16,Lyon\n# comment\n\n2001:db8::/32,\"Berlin, DE\"\n";
        var rows = SiteCsv.Read(new StringReader(csv), "sites.csv");
        Assert.Equal(["10.2.1.0/24=Paris", "10.3.0.0/16=Lyon", "2001:db8::/32=Berlin, DE"], rows.Select(r => $"{r.Subnet}={r.Site}"));
    }

    [Fact]
    public void Read_BadRowAfterData_ErrorNamesFileAndLine()
    {
        var ex = Assert.Throws<InvalidDataException>(() => SiteCsv.Read(new StringReader("10.2.1,Paris\nnonsense,Lyon\n"), "sites.csv"));
        Assert.Contains("sites.csv:2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CompanionScriptColumnsAnyOrderSemicolons_SubnetAndSiteByName()
    {
        var csv = "#TYPE Selected.System.Management.Automation.PSCustomObject\r\n\"Site\";\"Description\";\"Network\"\r\n\"Berlin\";\"HQ; 3rd floor\";\"10.2.1.0/24\"\r\n\"Paris\";\"\";\"2001:db8:5::/48\"\r\n";
        var rows = SiteCsv.Read(new StringReader(csv), "sites.csv");
        Assert.Equal(["10.2.1.0/24=Berlin", "2001:db8:5::/48=Paris"], rows.Select(r => $"{r.Subnet}={r.Site}"));
    }
}
