using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Hosting;

/// <summary>Builds the generic host the verbs and the scheduler run in.</summary>
internal static class AppHost
{
    /// <param name="time">The clock of every feature; the system clock unless a test or the CLI's caller pins one.</param>
    public static HostApplicationBuilder CreateBuilder(IConfiguration configuration, bool verbose = false, TimeProvider? time = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        // Logs go to stderr so that table/csv/json output on stdout stays clean for pipes.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddReportJob(configuration, time ?? TimeProvider.System);
        return builder;
    }

    /// <summary>Validates every option (a wrong value stops here, naming the key) and migrates when configured.</summary>
    public static async Task StartAsync(IServiceProvider services, bool migrate, CancellationToken cancellationToken)
    {
        services.GetRequiredService<IStartupValidator>().Validate();
        if (migrate && services.GetRequiredService<IOptions<StorageOptions>>().Value.MigrateOnStart)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }
    }
}
