using System.Text.Json;

namespace ReportJob.Tests;

public sealed class PackageTests
{
    /// <summary>
    /// What the build resolved (the tests' deps.json lists every package of reportjob and the tests): no Quartz, and the
    /// versions chosen for their fixes (SqlClient 7.1.2, not 2.1.4; Newtonsoft.Json 13.0.4, not the 11.0.1 Hangfire asks for).
    /// </summary>
    [Fact]
    public void Dependencies_Resolved_NoQuartzAndThePinnedVersions()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ReportJob.Tests.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(libraries, l => l.StartsWith("Quartz", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Microsoft.Data.SqlClient/7.1.2", libraries);
        Assert.Contains("Newtonsoft.Json/13.0.4", libraries);
        Assert.Contains("Hangfire.Core/1.8.25", libraries);
        Assert.Contains("Hangfire.SqlServer/1.8.25", libraries);
        Assert.Contains("Hangfire.PostgreSql/1.21.1", libraries);
        Assert.Contains("Hangfire.Storage.SQLite/0.4.3", libraries);
        Assert.Contains("prometheus-net/8.2.1", libraries);
        Assert.Single(libraries, l => l.StartsWith("Microsoft.Data.SqlClient/", StringComparison.Ordinal));
        Assert.Single(libraries, l => l.StartsWith("Newtonsoft.Json/", StringComparison.Ordinal));
    }
}
