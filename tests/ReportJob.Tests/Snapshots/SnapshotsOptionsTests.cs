using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Hosting;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

public sealed class SnapshotsOptionsTests
{
    private static SnapshotsOptions Bind(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSnapshots(AppConfiguration.Build(null, settings));
        return services.BuildServiceProvider().GetRequiredService<IOptions<SnapshotsOptions>>().Value;
    }

    [Fact]
    public void LocalPorts_NotConfigured_Default443()
    {
        // The appsettings.json beside the test binary says [443] too: either way, exactly one 443.
        Assert.Equal([443], Bind([]).LocalPorts);
    }

    [Fact]
    public void LocalPorts_Configured_ReplacesTheDefault()
    {
        var options = Bind(new() { ["Snapshots:LocalPorts:0"] = "8443", ["Snapshots:LocalPorts:1"] = "444" });
        Assert.Equal([8443, 444], options.LocalPorts);
    }

    [Theory]
    [InlineData("10.0.0.300", "Snapshots:Servers:1:Addresses:0: '10.0.0.300' is not an IP address")]
    [InlineData("::ffff:10.0.0.16", "Snapshots:Servers:1:Addresses:0: ::ffff:10.0.0.16 is also listed for server 'EX01'")]
    public void Addresses_BadOrListedTwice_ErrorNamesTheKey(string address, string expected)
    {
        var options = new SnapshotsOptions
        {
            Servers =
            [
                new ServerOptions { Name = "EX01", Source = SnapshotSourceKind.Csv, Addresses = ["10.0.0.16"] },
                new ServerOptions { Name = "EX02", Source = SnapshotSourceKind.Csv, Addresses = [address] },
            ],
        };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        Assert.Contains(expected, errors);
    }
}
