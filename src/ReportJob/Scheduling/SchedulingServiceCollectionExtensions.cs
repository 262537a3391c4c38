using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Registers a feature's work under its <see cref="IScheduledWork.JobName"/>; the job runs once it is enabled under <c>Scheduling:Jobs</c>.</summary>
    public static IServiceCollection AddScheduledWork<TWork>(this IServiceCollection services)
        where TWork : class, IScheduledWork
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IScheduledWork, TWork>());
        return services;
    }

    /// <summary>
    /// The scheduler: Quartz with a persistent job store in the app's database (clustered on PostgreSQL/SQL Server when
    /// <c>Scheduling:Clustered</c>), the jobs of <c>Scheduling:Jobs</c>, run history and the <c>retention</c> work.
    /// Runs when the host is started (<c>reportjob run</c>).
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulingOptions>, ClusteredStoreValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobRunStore>();
        services.AddSingleton<JobControl>();
        services.AddTransient<WorkJob>();
        services.AddSingleton<JobRunListener>();
        services.AddScheduledWork<RetentionWork>();

        // Quartz is configured in code when the container is built, so these two sections are read here as well;
        // a value that does not bind fails the build of the host (exit code 2, the key named by the binder).
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var o = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();

        services.Configure<HostOptions>(h => h.ShutdownTimeout = o.ShutdownTimeout);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "ReportJob";
                // Running jobs get their cancellation token on shutdown, and the shutdown still waits for them
                // (bounded by HostOptions.ShutdownTimeout); a cancelled firing is handed back for recovery.
                s.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });
            q.UseDefaultThreadPool(o.MaxConcurrency);
            q.UseDefaultRetryPolicy(o.Retry.Attempts == 0
                ? RetryPolicy.None
                : RetryPolicy.Exponential(o.Retry.Attempts, o.Retry.InitialDelay, 2.0, o.Retry.MaxDelay < o.Retry.InitialDelay ? o.Retry.InitialDelay : o.Retry.MaxDelay));
            q.UsePersistentStore(store =>
            {
                switch (storage.Provider)
                {
                    case StorageProvider.Postgres:
                        store.UsePostgres(NpgsqlFactory.Instance, storage.ConnectionString);
                        break;
                    case StorageProvider.SqlServer:
                        store.UseSqlServer(SqlClientFactory.Instance, storage.ConnectionString);
                        break;
                    default:
                        store.UseSqlite(SqliteFactory.Instance, SqliteConnectionString(storage));
                        break;
                }

                store.UseSystemTextJsonSerializer();
                // The QRTZ_ tables come with our schema scripts (sql/<provider>/0005_quartz.sql); the store only validates them.
                store.ConfigureStore(s =>
                {
                    s.MisfireThreshold = o.MisfireThreshold;
                    s.RecoverFiringsCancelledByShutdown = true;
                });
                if (o.Clustered && storage.Provider != StorageProvider.Sqlite)
                {
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = o.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = o.ClusterCheckinMisfireThreshold;
                    });
                }
            });
            q.AddJobListener<JobRunListener>([GroupMatcher<JobKey>.GroupEquals(JobNames.Group)]);
        });
        // Before Quartz's hosted service, so the store matches the configuration before anything fires.
        services.AddHostedService<ScheduleSynchronizer>();
        services.AddQuartzHostedService(h =>
        {
            h.WaitForJobsToComplete = true;
            h.AwaitApplicationStarted = true;
        });
        return services;
    }

    /// <summary>The status page (<c>Status</c> section): jobs, history, collection health, run now, <c>/health</c>. Needs <see cref="AddScheduling"/>.</summary>
    public static IServiceCollection AddStatusPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusOptions>().Bind(configuration.GetSection(StatusOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatusReader>();
        services.AddSingleton<StatusPageServer>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusPageServer>());
        return services;
    }

    /// <summary>The same database file the app uses (DbConnectionFactory's rules: relative to the working directory, folder created).</summary>
    private static string SqliteConnectionString(StorageOptions storage)
    {
        var builder = new SqliteConnectionStringBuilder(storage.ConnectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }

        // Microsoft.Data.Sqlite retries a busy database until the command timeout: the app writes to the same file.
        builder.DefaultTimeout = (int)Math.Ceiling(storage.CommandTimeout.TotalSeconds);
        return builder.ToString();
    }
}
