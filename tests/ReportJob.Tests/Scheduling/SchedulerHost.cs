using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportJob.Cli;
using ReportJob.Hosting;
using ReportJob.Scheduling;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

/// <summary>A real job server host, built as <c>reportjob run</c> builds it (AppHost.CreateBuilder + RunCommand.AddJobServer), over a test database.</summary>
internal static class SchedulerHost
{
    /// <summary>The features' works by job name.</summary>
    private static readonly Dictionary<string, Type> FeatureWorks = new(StringComparer.Ordinal)
    {
        [JobNames.CollectSnapshots] = typeof(global::ReportJob.Snapshots.CollectSnapshotsWork),
        [JobNames.IngestCaptures] = typeof(global::ReportJob.NetFlow.IngestCapturesWork),
        [JobNames.IngestIisLogs] = typeof(global::ReportJob.IisLogs.IngestIisLogsWork),
        [JobNames.DailyReport] = typeof(global::ReportJob.Reports.DailyReportWork),
        [JobNames.MailReport] = typeof(global::ReportJob.Reports.MailReportWork),
        [JobNames.Retention] = typeof(RetentionWork),
    };

    /// <param name="works">Test works; each replaces the feature's work of the same job name, the other features' works stay.</param>
    public static async Task<IHost> StartAsync(TestDatabase db, IDictionary<string, string?> settings, params IScheduledWork[] works)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = db.Provider.ToString(),
            ["Storage:ConnectionString"] = db.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Status:Enabled"] = "false",
            ["Reports:OutputPath"] = Path.Combine(db.Directory, "reports"),
            ["Reports:ResolveDnsNames"] = "false",
            ["Mail:PickupDirectory"] = Path.Combine(db.Directory, "mail"),
            ["NetFlow:InboxPath"] = Path.Combine(db.Directory, "inbox", "netflow"),
            ["IisLogs:InboxPath"] = Path.Combine(db.Directory, "inbox", "iis"),
            ["Scheduling:Retention:Files:0:Folder"] = Path.Combine(db.Directory, "reports"),
        };
        foreach (var kv in settings)
        {
            all[kv.Key] = kv.Value;
        }

        var configuration = AppConfiguration.Build(null, all);
        var builder = AppHost.CreateBuilder(configuration);
        RunCommand.AddJobServer(builder.Services, configuration);
        var replaced = works.Select(w => FeatureWorks[w.JobName]).ToHashSet();
        foreach (var d in builder.Services.Where(d => d.ServiceType == typeof(IScheduledWork) && d.ImplementationType is { } t && replaced.Contains(t)).ToList())
        {
            builder.Services.Remove(d);
        }

        foreach (var work in works)
        {
            builder.Services.AddSingleton(work);
        }

        var host = builder.Build();
        await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
        await host.StartAsync();
        return host;
    }

    public static async Task StopAsync(IHost host, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await host.StopAsync(cts.Token);
        if (host is IAsyncDisposable async)
        {
            await async.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>Polls until the condition holds; fails the test after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > timeout)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds} s: {what}");
            }

            await Task.Delay(200);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}
