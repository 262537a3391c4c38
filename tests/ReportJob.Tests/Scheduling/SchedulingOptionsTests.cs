using Microsoft.Extensions.Options;
using ReportJob.Hosting;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed class SchedulingOptionsTests
{
    [Theory]
    [InlineData("Scheduling:Jobs:collect-snapshots:Cron", "0 */5 * * *", "Scheduling:Jobs:collect-snapshots:Cron")]
    [InlineData("Scheduling:Jobs:daily-report:Cron", "0 0 25 * * ?", "Scheduling:Jobs:daily-report:Cron")]
    [InlineData("Scheduling:TimeZone", "Mars/Olympus_Mons", "Scheduling:TimeZone")]
    [InlineData("Scheduling:Clustered", "true", "Scheduling:Clustered")]
    [InlineData("Status:AllowRemote", "true", "Status:SharedSecret")]
    [InlineData("Scheduling:Retention:Tables:0:Table", "snapshot; DROP TABLE x", "Scheduling:Retention:Tables:0:Table")]
    public async Task Start_BadSetting_RefusedNamingTheKey(string key, string value, string named)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = db.ConnectionString,
            ["Scheduling:Retention:Tables:0:Table"] = "snapshot",
            ["Scheduling:Retention:Tables:0:TimeColumn"] = "taken_at",
            ["Scheduling:Retention:Tables:0:Days"] = "30",
            [key] = value,
        };
        var configuration = AppConfiguration.Build(null, settings);
        var builder = AppHost.CreateBuilder(configuration);
        builder.Services.AddScheduling(configuration);
        builder.Services.AddStatusPage(configuration);
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => AppHost.StartAsync(host.Services, migrate: false, CancellationToken.None));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/Zurich")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("UTC")]
    public void Validate_IanaOrWindowsTimeZone_Accepted(string zone)
    {
        var options = new SchedulingOptions { TimeZone = zone };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, true), string.Join("; ", results));
    }

    [Fact]
    public void SqlParity_EveryProviderHasTheSchedulingScript()
    {
        foreach (var provider in Enum.GetValues<StorageProvider>())
        {
            Assert.Contains(SchemaScript.Load(provider), s => s.Version == 5 && s.Name == "quartz");
        }
    }
}
