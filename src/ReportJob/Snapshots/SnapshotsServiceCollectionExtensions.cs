using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;
using ReportJob.Storage;

namespace ReportJob.Snapshots;

public static class SnapshotsServiceCollectionExtensions
{
    public static IServiceCollection AddSnapshots(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnapshotsOptions>().Bind(configuration.GetSection(SnapshotsOptions.Section))
            .PostConfigure(o =>
            {
                if (o.LocalPorts.Count == 0)
                {
                    o.LocalPorts.AddRange(SnapshotsOptions.DefaultLocalPorts);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConnectionRunStore>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<ISchemaDataMigration, ConnectionRunMigration>();
        services.AddSingleton<ConnectionDayReader>();
        services.AddSingleton<ConnectionRollups>();
        services.AddSingleton<CsvSnapshotImporter>();
        services.AddSingleton<CsvDropFolderImporter>();
        services.AddSingleton<CsvExporter>();
        services.AddSingleton<ConnectionQueries>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISnapshotSource, LocalSnapshotSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISnapshotSource, SshSnapshotSource>());
        services.AddSingleton<SnapshotCollector>();
        services.AddScheduledWork<CollectSnapshotsWork>();
        return services;
    }
}
