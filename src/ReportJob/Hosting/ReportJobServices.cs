using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Mail;
using ReportJob.NetFlow;
using ReportJob.Reports;
using ReportJob.IisLogs;
using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;

namespace ReportJob.Hosting;

/// <summary>The one place that knows every feature.</summary>
internal static class ReportJobServices
{
    public static IServiceCollection AddReportJob(this IServiceCollection services, IConfiguration configuration, TimeProvider time)
    {
        services.AddSingleton(time);
        services.AddStorage(configuration);
        services.AddSites(configuration);
        services.AddSnapshots(configuration);
        services.AddNetFlow(configuration);
        services.AddReports(configuration);
        services.AddMail(configuration);
        services.AddIisLogs(configuration);
        return services;
    }
}
