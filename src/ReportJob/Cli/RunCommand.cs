using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReportJob.Scheduling;

namespace ReportJob.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var run = new Command("run", """
            Run the job server: the scheduler (Scheduling:Jobs, cron in Scheduling:TimeZone) and the status page (Status:Urls)
            until Ctrl+C or SIGTERM; running jobs are then cancelled and given Scheduling:ShutdownTimeout to stop.
            """);
        run.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var host = services.GetRequiredService<IHost>();
            var jobs = services.GetRequiredService<IOptions<SchedulingOptions>>().Value.Jobs;
            if (jobs.TryGetValue(JobNames.IngestCaptures, out var ingest) && ingest.Enabled)
            {
                // As `reportjob ingest` does: the first scheduled ingest does not wait for the JIT.
                _ = NetFlow.FlowIngestor.WarmUpInBackground();
            }

            await host.StartAsync(token);
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ctrl+C / SIGTERM: the normal way to stop a job server.
            }

            // Running jobs are cancelled and waited for up to Scheduling:ShutdownTimeout. A job store that cannot be
            // reached keeps Quartz retrying past that, so the process leaves anyway; the firing is recovered later.
            var timeout = services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout + TimeSpan.FromSeconds(5);
            try
            {
                await host.StopAsync(CancellationToken.None).WaitAsync(timeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                await Console.Error.WriteLineAsync($"Shutdown did not finish within {timeout}; exiting. An interrupted firing is recovered when a job server next starts.");
                return ExitCodes.RunFailed;
            }

            return ExitCodes.Ok;
        }, configureServices: AddJobServer));
        return run;
    }

    public static void AddJobServer(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddScheduling(configuration);
        services.AddStatusPage(configuration);
    }
}
