using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReportJob.NetFlow;

public static class NetFlowServiceCollectionExtensions
{
    public static IServiceCollection AddNetFlow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetFlowOptions>().Bind(configuration.GetSection(NetFlowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FlowStore>();
        services.AddSingleton<FlowIngestor>();
        services.AddSingleton<FlowQueries>();
        services.AddTransient<UdpCollector>();
        return services;
    }
}
