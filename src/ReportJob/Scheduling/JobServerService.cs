using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Scheduling;

/// <summary>
/// The job server of <c>reportjob run</c>: brings Hangfire's recurring jobs in line with <c>Scheduling:Jobs</c> (adds or
/// updates each enabled job, removes disabled and unknown ones; unchanged ones are left alone, so restarting one job
/// server of several disturbs nothing), then runs a Hangfire server until the host stops. On stop running jobs get
/// their cancellation token at once and <c>Scheduling:ShutdownTimeout</c> to finish; a job cut short goes back to the
/// queue and runs again.
/// </summary>
internal sealed class JobServerService(
    JobStorage storage,
    IJobFilterProvider filters,
    JobActivator activator,
    IRecurringJobManagerV2 recurring,
    IEnumerable<IScheduledWork> works,
    IOptions<SchedulingOptions> options,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<JobServerService>();
    private BackgroundJobServer? _server;

    /// <summary>True from the server's start until it is asked to stop (<c>/health</c>).</summary>
    public bool Running { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new HangfireLogProvider(loggers));
        Synchronize();
        var o = options.Value;
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = o.MaxConcurrency,
                SchedulePollingInterval = o.PollInterval,
                ShutdownTimeout = o.ShutdownTimeout,
                StopTimeout = TimeSpan.Zero,
                FilterProvider = filters,
                Activator = activator,
            },
            storage);
        Running = true;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Running = false;
        if (_server is not null)
        {
            _server.SendStop();
            try
            {
                await _server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Log.ShutdownTimedOut(_logger);
            }
        }
    }

    public void Dispose() => _server?.Dispose();

    private void Synchronize()
    {
        var o = options.Value;
        var zone = o.ResolveTimeZone();
        var registered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in works)
        {
            if (!registered.Add(work.JobName))
            {
                throw new InvalidOperationException($"Two works are registered for job '{work.JobName}'.");
            }
        }

        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, job) in o.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal))
        {
            if (!job.Enabled)
            {
                recurring.RemoveIfExists(name);
                Log.JobDisabled(_logger, name);
                continue;
            }

            if (!registered.Contains(name))
            {
                recurring.RemoveIfExists(name);
                Log.JobWithoutWork(_logger, name);
                continue;
            }

            configured.Add(name);
            var cron = string.IsNullOrWhiteSpace(job.Cron) ? Cron.Never() : job.Cron.Trim();
            var misfire = !job.CatchUp ? MisfireHandlingMode.Ignorable
                : o.CatchUpMissedReports == CatchUpMode.All ? MisfireHandlingMode.Strict
                : MisfireHandlingMode.Relaxed;
            try
            {
                recurring.AddOrUpdate(
                    name,
                    Job.FromExpression<ScheduledJob>(j => j.RunAsync(name, null, null, CancellationToken.None)),
                    cron,
                    new RecurringJobOptions { TimeZone = zone, MisfireHandling = misfire });
            }
            catch (ArgumentException ex) when (!string.IsNullOrWhiteSpace(job.Cron))
            {
                throw new OptionsValidationException(
                    SchedulingOptions.Section,
                    typeof(SchedulingOptions),
                    [$"Scheduling:Jobs:{name}:Cron: '{job.Cron}' is not a valid cron expression (min hour day month weekday, or sec min hour day month weekday): {(ex.InnerException ?? ex).Message}"]);
            }

            if (string.IsNullOrWhiteSpace(job.Cron))
            {
                Log.JobOnDemand(_logger, name);
            }
            else
            {
                Log.JobScheduled(_logger, name, job.Cron, zone.Id, misfire.ToString());
            }
        }

        using var connection = storage.GetConnection();
        foreach (var id in connection.GetRecurringJobs().Select(r => r.Id))
        {
            if (!configured.Contains(id) && !o.Jobs.ContainsKey(id))
            {
                recurring.RemoveIfExists(id);
                Log.JobRemoved(_logger, id);
            }
        }
    }
}
