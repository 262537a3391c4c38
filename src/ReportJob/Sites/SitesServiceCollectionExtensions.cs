using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReportJob.Sites;

public static class SitesServiceCollectionExtensions
{
    public static IServiceCollection AddSites(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SitesOptions>().Bind(configuration.GetSection(SitesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SiteStore>();
        return services;
    }
}
