using ReportJob.Tests.Cli;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Sites;

/// <summary>AD Sites and Services read over LDAP from a real Samba AD domain controller that the test provisions.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LdapSiteImportTests
{
    private const string PasswordVariable = "REPORTJOB_TEST_LDAP_PASSWORD";

    private static readonly Dictionary<string, string[]> Sites = new()
    {
        ["Berlin"] = ["10.2.1.0/24", "2001:db8:2::/48"],
        ["Munich"] = ["10.0.0.0/8", "10.2.0.0/16"],
    };

    private static CliSandbox Sandbox(SambaDc dc, string security, string? trusted) => new(new Dictionary<string, object>
    {
        ["Sites"] = new
        {
            Ldap = new
            {
                Server = dc.Address, Security = security, UserName = SambaDc.User, PasswordVariable,
                TrustedCertificatesDirectory = trusted, RefreshInterval = "1.00:00:00",
            },
        },
    });

    [ToolFact("samba", "samba-tool", "openssl")]
    public async Task Ldap_SambaDc_SubnetsWithRealPrefixesAndLookups()
    {
        Environment.SetEnvironmentVariable(PasswordVariable, SambaDc.Password);
        using var dc = SambaDc.Start(Sites);

        foreach (var (security, port) in new[] { ("Ldaps", 636), ("StartTls", 389), ("None", 389) })
        {
            using var cli = Sandbox(dc, security, security == "None" ? null : dc.TrustedCertificates);
            var import = await cli.RunAsync("sites", "import", "--ldap");
            Assert.True(import.Exit == 0, $"{security}: {import.Err}");
            Assert.Equal($"Imported 4 subnets from {(security == "Ldaps" ? "ldaps" : "ldap")}://{dc.Address}:{port}.", import.Out.Trim());

            var lookup = await cli.RunAsync("sites", "lookup", "10.2.1.5", "10.2.9.9", "10.9.9.9", "2001:db8:2::1", "192.168.1.1", "--format", "csv");
            Assert.Equal(
                """
                "Address","Subnet","Site"
                "10.2.1.5","10.2.1.0/24","Berlin"
                "10.2.9.9","10.2.0.0/16","Munich"
                "10.9.9.9","10.0.0.0/8","Munich"
                "2001:db8:2::1","2001:db8:2::/48","Berlin"
                "192.168.1.1","(unknown)","(unknown)"
                """.ReplaceLineEndings("\n"), lookup.Out.Trim().ReplaceLineEndings("\n"));
        }

        // A certificate from a CA the client was not told to trust is refused.
        using (var untrusted = Sandbox(dc, "Ldaps", null))
        {
            var refused = await untrusted.RunAsync("sites", "import", "--ldap");
            Assert.Equal(1, refused.Exit);
            Assert.Contains("TrustedCertificatesDirectory", refused.Err, StringComparison.Ordinal);
        }

        // The scheduled path: loading the mapping reads AD when its copy is missing or older than RefreshInterval;
        // a subnet in the file wins over AD's for the same subnet.
        using var scheduled = Sandbox(dc, "None", null);
        Assert.Contains("\"10.2.1.5\",\"10.2.1.0/24\",\"Berlin\"", (await scheduled.RunAsync("sites", "lookup", "10.2.1.5", "--format", "csv")).Out, StringComparison.Ordinal);
        var file = Path.Combine(scheduled.Folder, "subnets.csv");
        await File.WriteAllTextAsync(file, "\"CIDR\";\"Sitename\";\"Note\"\n\"10.2.1.0/24\";\"Berlin-Mitte\";\"corrected by hand\"\n");
        Assert.Equal(0, (await scheduled.RunAsync("sites", "import", file)).Exit);
        ExternalTools.Run("samba-tool", ["sites", "create", "Hamburg", "-H", Path.Combine(dc.Folder, "private", "sam.ldb")]);
        ExternalTools.Run("samba-tool", ["sites", "subnet", "create", "10.3.0.0/16", "Hamburg", "-H", Path.Combine(dc.Folder, "private", "sam.ldb")]);

        var fresh = (await scheduled.RunAsync("sites", "lookup", "10.2.1.5", "10.3.1.1", "--format", "csv")).Out;
        Assert.Contains("\"10.2.1.5\",\"10.2.1.0/24\",\"Berlin-Mitte\"", fresh, StringComparison.Ordinal);
        Assert.Contains("\"10.3.1.1\",\"10.0.0.0/8\",\"Munich\"", fresh, StringComparison.Ordinal); // AD's copy is a minute old

        scheduled.Clock.Now += TimeSpan.FromHours(25);
        var refreshed = (await scheduled.RunAsync("sites", "lookup", "10.2.1.5", "10.3.1.1", "--format", "csv")).Out;
        Assert.Contains("\"10.2.1.5\",\"10.2.1.0/24\",\"Berlin-Mitte\"", refreshed, StringComparison.Ordinal);
        Assert.Contains("\"10.3.1.1\",\"10.3.0.0/16\",\"Hamburg\"", refreshed, StringComparison.Ordinal);
    }
}
