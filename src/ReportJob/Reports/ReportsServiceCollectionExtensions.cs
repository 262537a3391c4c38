using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;

namespace ReportJob.Reports;

public static class ReportsServiceCollectionExtensions
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RazorRenderer>();
        services.AddSingleton<ReverseDns>();
        services.AddSingleton<FlowSectionBuilder>();
        services.AddSingleton<DailyReportBuilder>();
        services.AddSingleton<ReportWriter>();
        services.AddSingleton<ReportMailComposer>();
        services.AddSingleton<DailyReportRunner>();
        services.AddScheduledWork<DailyReportWork>();
        services.AddScheduledWork<MailReportWork>();
        return services;
    }
}
