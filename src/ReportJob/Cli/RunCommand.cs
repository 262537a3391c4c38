using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Options;
using ReportJob.Scheduling;

namespace ReportJob.Cli;

internal static class RunCommand
{
    /// <summary>The Windows service's name (<c>sc.exe create ReportJob …</c>).</summary>
    public const string ServiceName = "ReportJob";

    public static Command Create()
    {
        var run = new Command("run", """
            Run the job server: Hangfire's recurring jobs (Scheduling:Jobs, cron in Scheduling:TimeZone), and the dashboard
            with /health and /metrics (Status:Urls), until Ctrl+C, SIGTERM or a service stop; running jobs are then cancelled
            and given Scheduling:ShutdownTimeout to stop. Runs as a Windows service or a systemd (Type=notify) service too.
            """);
        run.SetAction((parse, ct) =>
        {
            if (WindowsServiceHelpers.IsWindowsService())
            {
                // A service starts in %SystemRoot%\System32: relative paths of the settings (./data, ./reports) are taken
                // from the folder of the executable instead, where appsettings.json is.
                Directory.SetCurrentDirectory(AppContext.BaseDirectory);
            }

            return CliRunner.RunAsync(parse, ct, async (services, token) =>
            {
                var host = services.GetRequiredService<IHost>();
                var jobs = services.GetRequiredService<IOptions<SchedulingOptions>>().Value.Jobs;
                if (jobs.TryGetValue(JobNames.IngestCaptures, out var ingest) && ingest.Enabled)
                {
                    // As `reportjob ingest` does: the first scheduled ingest does not wait for the JIT.
                    _ = NetFlow.FlowIngestor.WarmUpInBackground();
                }

                // Under systemd this reports READY=1 once everything has started; as a Windows service it reports running.
                await host.StartAsync(token);
                var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(token, lifetime.ApplicationStopping);
                try
                {
                    // Ctrl+C / SIGTERM cancel the token; a service stop (or systemd's SIGTERM) stops the application.
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The normal way to stop a job server.
                }

                // Running jobs are cancelled and waited for up to Scheduling:ShutdownTimeout; a job cut short goes back
                // to the queue. A job storage that cannot be reached must not keep the process from leaving.
                var timeout = services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout + TimeSpan.FromSeconds(5);
                try
                {
                    await host.StopAsync(CancellationToken.None).WaitAsync(timeout, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    await Console.Error.WriteLineAsync($"Shutdown did not finish within {timeout}; exiting. A job cut short runs again when a job server next takes it.");
                    return ExitCodes.RunFailed;
                }

                return ExitCodes.Ok;
            }, configureServices: AddJobServer);
        });
        return run;
    }

    public static void AddJobServer(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddScheduling(configuration);
        services.AddDashboard(configuration);
        // Each does nothing unless the process was started by the Windows service manager or by systemd.
        services.AddWindowsService(o => o.ServiceName = ServiceName);
        services.AddSystemd();
    }
}
