using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Hosting;

namespace ReportJob.Cli;

/// <summary>Runs one verb inside a configured host and maps failures to exit codes (0 ok, 1 run failed, 2 bad usage or configuration).</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(
        ParseResult parse,
        CancellationToken cancellationToken,
        Func<IServiceProvider, CancellationToken, Task<int>> body,
        bool migrate = true,
        Action<IServiceCollection, IConfiguration>? configureServices = null,
        IDictionary<string, string?>? overrides = null)
    {
        // The invocation's writer (Console.Error unless a test or a host passes its own).
        var stderr = parse.InvocationConfiguration.Error;
        IHost host;
        try
        {
            var configuration = AppConfiguration.Build(parse.GetValue(GlobalOptions.Config)?.FullName, overrides);
            var time = (parse.RootCommandResult.Command as CliRoot)?.Time;
            var builder = AppHost.CreateBuilder(configuration, parse.GetValue(GlobalOptions.Verbose), time);
            configureServices?.Invoke(builder.Services, configuration);
            host = builder.Build();
        }
        catch (Exception ex) when (ex is ConfigurationFileMissingException or InvalidOperationException or FormatException or System.IO.InvalidDataException)
        {
            await stderr.WriteLineAsync("Configuration error: " + ex.Message);
            return ExitCodes.BadUsage;
        }

        using (host)
        {
            try
            {
                await AppHost.StartAsync(host.Services, migrate, cancellationToken);
                return await body(host.Services, cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                await stderr.WriteLineAsync("Configuration error: " + string.Join("; ", ex.Failures));
                return ExitCodes.BadUsage;
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
                                                       || ex.Message.StartsWith("Failed to create instance", StringComparison.Ordinal))
            {
                await stderr.WriteLineAsync("Configuration error: " + ex.Message);
                return ExitCodes.BadUsage;
            }
            catch (UsageException ex)
            {
                await stderr.WriteLineAsync(ex.Message);
                return ExitCodes.BadUsage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("Cancelled.");
                return ExitCodes.RunFailed;
            }
            catch (Exception ex)
            {
                Log.RunFailed(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ReportJob.Cli"), ex, parse.CommandResult.Command.Name);
                await stderr.WriteLineAsync("Run failed: " + ex.Message);
                return ExitCodes.RunFailed;
            }
        }
    }
}
