using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;

namespace ReportJob.IisLogs;

public static class IisLogsServiceCollectionExtensions
{
    public static IServiceCollection AddIisLogs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IisLogsOptions>().Bind(configuration.GetSection(IisLogsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IisStore>();
        services.AddSingleton<IisLogImporter>();
        services.AddSingleton<IisLogInbox>();
        services.AddSingleton<IisQueries>();
        services.AddScheduledWork<IngestIisLogsWork>();
        return services;
    }
}
