using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;

namespace ReportJob.NetFlow;

public static class NetFlowServiceCollectionExtensions
{
    public static IServiceCollection AddNetFlow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetFlowOptions>().Bind(configuration.GetSection(NetFlowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FlowStore>();
        services.AddSingleton<FlowIngestor>();
        services.AddScheduledWork<IngestCapturesWork>();
        services.AddSingleton<FlowQueries>();
        services.AddTransient<UdpCollector>();
        services.AddTransient<StreamCollector>();
        return services;
    }
}
