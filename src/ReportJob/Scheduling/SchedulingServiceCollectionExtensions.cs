using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
    /// Scheduling on Hangfire: the job storage of <c>Storage:Provider</c>, a client for it (<c>reportjob jobs</c>), the
    /// <c>retention</c> work, and the job server that runs the jobs of <c>Scheduling:Jobs</c> when the host is started
    /// (<c>reportjob run</c>). Hangfire's services are made per host, not through its static GlobalConfiguration, so that
    /// every host (a test starts several in one process) has its own storage, filters and activator.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => JobStorageFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<SchedulingOptions>>().Value));
        services.AddSingleton<JobOutcomeFilter>();
        services.AddSingleton<IJobFilterProvider>(CreateFilters);
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IRecurringJobManagerV2>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>(), new DefaultTimeZoneResolver()));
        services.AddSingleton<JobRunLock>();
        services.AddTransient<ScheduledJob>();
        services.AddSingleton<JobOverview>();
        services.AddSingleton<JobControl>();
        services.AddSingleton<StatusMetrics>();
        services.AddScheduledWork<RetentionWork>();

        services.Configure<HostOptions>(h => h.ShutdownTimeout = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>()?.ShutdownTimeout ?? new SchedulingOptions().ShutdownTimeout);
        services.AddSingleton<JobServerService>();
        services.AddHostedService(sp => sp.GetRequiredService<JobServerService>());
        return services;
    }

    /// <summary>The dashboard (<c>Status</c> section) with the collection page, <c>/health</c> and <c>/metrics</c>. Needs <see cref="AddScheduling"/>.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusOptions>().Bind(configuration.GetSection(StatusOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DashboardServer>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardServer>());
        return services;
    }

    /// <summary>
    /// The filters of every job: Hangfire's default set (retries, continuations, the dashboard's statistics) made for
    /// this host, retries as <c>Scheduling:Retry</c> says, and the outcome counter; plus attributes on the job method.
    /// </summary>
    private static IJobFilterProvider CreateFilters(IServiceProvider sp)
    {
        var retry = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value.Retry;
        var filters = new JobFilterCollection();
        var provider = new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
        var automaticRetry = new AutomaticRetryAttribute { Attempts = retry.Attempts, OnAttemptsExceeded = AttemptsExceededAction.Fail, LogEvents = false };
        if (retry.Attempts > 0)
        {
            automaticRetry.DelaysInSeconds = retry.DelaysInSeconds();
        }

        filters.Add(automaticRetry);
        filters.Add(new StatisticsHistoryAttribute());
        filters.Add(new ContinuationsSupportAttribute([SucceededState.StateName, DeletedState.StateName], new BackgroundJobStateChanger(provider)));
        filters.Add(sp.GetRequiredService<JobOutcomeFilter>());
        return provider;
    }
}
