using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Cli;
using ReportJob.Hosting;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed class SchedulingOptionsTests
{
    [Theory]
    [InlineData("Scheduling:TimeZone", "Mars/Olympus_Mons", "Scheduling:TimeZone")]
    [InlineData("Scheduling:PollInterval", "00:01:00", "PollInterval")]
    [InlineData("Scheduling:Retry:MaxDelay", "00:00:01", "Scheduling:Retry:MaxDelay")]
    [InlineData("Status:AllowRemote", "true", "Status:SharedSecret")]
    [InlineData("Scheduling:Retention:Tables:0:Table", "snapshot; DROP TABLE x", "Scheduling:Retention:Tables:0:Table")]
    [InlineData("Mail:StartTls", "false", "Mail:StartTls is no longer read: write \"Security\": \"None\" instead")]
    [InlineData("Mail:StartTls", "true", "Mail:StartTls is no longer read: write \"Security\": \"StartTls\" instead")]
    public async Task Start_BadSetting_RefusedNamingTheKey(string key, string value, string named)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var configuration = AppConfiguration.Build(null, Settings(db, key, value));
        var builder = AppHost.CreateBuilder(configuration);
        RunCommand.AddJobServer(builder.Services, configuration);
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => AppHost.StartAsync(host.Services, migrate: false, CancellationToken.None));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Cron expressions are read by Hangfire's own parser when the job server registers them, before any job runs; the
    /// other jobs keep the defaults of appsettings.json, which register too.
    /// </summary>
    [Theory]
    [InlineData("0 */5 * * *")]
    [InlineData("*/15 * * * * *")]
    [InlineData("0 0 2 * * ?")]
    [InlineData("0 2 * * MON-FRI")]
    public async Task Start_ValidCron_Registered(string cron)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var host = await SchedulerHost.StartAsync(db, new Dictionary<string, string?> { ["Scheduling:Jobs:retention:Cron"] = cron });
        try
        {
            var jobs = host.Services.GetRequiredService<JobOverview>().Read();
            Assert.Equal(
                [JobNames.CollectSnapshots, JobNames.DailyReport, JobNames.IngestCaptures, JobNames.IngestIisLogs, JobNames.MailReport, JobNames.Retention],
                jobs.Where(j => j.Registered).Select(j => j.Name));
            Assert.All(jobs.Where(j => j.Name != JobNames.MailReport), j => Assert.NotNull(j.NextRunUtc));
            Assert.Null(jobs.Single(j => j.Name == JobNames.MailReport).NextRunUtc);
        }
        finally
        {
            await SchedulerHost.StopAsync(host);
        }
    }

    [Theory]
    [InlineData("0 */5 * * *  *  *")]
    [InlineData("0 25 * * *")]
    [InlineData("every day")]
    public async Task Start_BadCron_RefusedNamingTheKey(string cron)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            SchedulerHost.StartAsync(db, new Dictionary<string, string?> { ["Scheduling:Jobs:daily-report:Cron"] = cron }));
        Assert.Contains("Scheduling:Jobs:daily-report:Cron", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>appsettings.json holds nothing the options do not know (the binder is told to refuse unknown keys).</summary>
    [Fact]
    public void AppSettings_StorageSchedulingStatus_EveryKeyBinds()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoPaths.Root, "appsettings.json")).Build();
        var scheduling = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        Assert.NotNull(configuration.GetSection(StatusOptions.Section).Get<StatusOptions>(o => o.ErrorOnUnknownConfiguration = true));
        Assert.NotNull(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>(o => o.ErrorOnUnknownConfiguration = true));
        Assert.Equal(
            [JobNames.CollectSnapshots, JobNames.DailyReport, JobNames.IngestCaptures, JobNames.IngestIisLogs, JobNames.MailReport, JobNames.Retention],
            scheduling.Jobs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(1), scheduling.PollInterval);
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
    public void RetryDelays_DoubleFromInitialUpToMax()
    {
        Assert.Equal([30, 60, 120, 240, 480, 600, 600], new RetryOptions { Attempts = 7 }.DelaysInSeconds());
        Assert.Equal([1, 2, 2], new RetryOptions { Attempts = 3, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2) }.DelaysInSeconds());
        Assert.Empty(new RetryOptions { Attempts = 0 }.DelaysInSeconds());
    }

    private static Dictionary<string, string?> Settings(TestDatabase db, string key, string value) => new()
    {
        ["Storage:ConnectionString"] = db.ConnectionString,
        ["Scheduling:Retention:Tables:0:Table"] = "snapshot",
        ["Scheduling:Retention:Tables:0:TimeColumn"] = "taken_at",
        ["Scheduling:Retention:Tables:0:Days"] = "30",
        [key] = value,
    };
}
