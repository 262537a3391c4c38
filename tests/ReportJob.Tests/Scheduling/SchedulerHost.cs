using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportJob.Hosting;
using ReportJob.Scheduling;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

/// <summary>A real job server host (AppHost.CreateBuilder + AddScheduling + AddStatusPage) over a test database.</summary>
internal static class SchedulerHost
{
    public static async Task<IHost> StartAsync(TestDatabase db, IDictionary<string, string?> settings, Action<IServiceCollection> works)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = db.Provider.ToString(),
            ["Storage:ConnectionString"] = db.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Status:Enabled"] = "false",
        };
        foreach (var kv in settings)
        {
            all[kv.Key] = kv.Value;
        }

        var configuration = AppConfiguration.Build(null, all);
        var builder = AppHost.CreateBuilder(configuration);
        // The features' own works (collect, report…) give way to the test's works of the same names.
        builder.Services.RemoveAll<IScheduledWork>();
        builder.Services.AddScheduling(configuration);
        builder.Services.AddStatusPage(configuration);
        works(builder.Services);
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
}
