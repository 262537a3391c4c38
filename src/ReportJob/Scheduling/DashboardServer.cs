using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Snapshots;

namespace ReportJob.Scheduling;

/// <summary>
/// The Hangfire dashboard (with <see cref="CollectionHealthPage"/> in it), <c>/health</c> and <c>/metrics</c> on
/// <c>Status:Urls</c>, on Kestrel inside the job server's process. It is a small web application of its own (the app's
/// host is a generic host, not a web host) over the same singletons. <see cref="RemoteAccessGate"/> stands in front of
/// every path.
/// </summary>
internal sealed class DashboardServer(
    JobStorage storage,
    JobServerService server,
    JobOverview overview,
    StatusMetrics metrics,
    ConnectionQueries queries,
    ReportMailComposer composer,
    IOptions<SchedulingOptions> scheduling,
    IOptions<ReportOptions> reports,
    IOptions<StatusOptions> options,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DashboardServer>();
    private WebApplication? _app;

    /// <summary>The addresses Kestrel bound (with the real port when the configured one was 0).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        CollectionHealthPage.Register();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(o.Urls);
        builder.Services.AddRoutingCore();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        // Keys live in memory: a restart only invalidates pages that are open, and no key file is left anywhere.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider(loggerFactory));
        // The dashboard checks the antiforgery token of its POSTs (trigger now, delete, requeue) when this is registered.
        builder.Services.AddAntiforgery();
        // What the collection page reads, from the job server's own container.
        builder.Services.AddSingleton(queries);
        builder.Services.AddSingleton(scheduling);
        builder.Services.AddSingleton(reports);
        builder.Services.AddSingleton(composer);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var decision = RemoteAccessGate.Decide(context, o);
            if (decision == RemoteAccessDecision.Allow)
            {
                await next(context);
                return;
            }

            Log.StatusRefused(_logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "?", decision.ToString());
            context.Response.StatusCode = decision == RemoteAccessDecision.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            if (decision == RemoteAccessDecision.Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"ReportJob\", charset=\"UTF-8\"";
            }

            await context.Response.WriteAsync(decision == RemoteAccessDecision.Forbidden
                ? "Remote access to the ReportJob dashboard is not enabled (Status:AllowRemote)."
                : "The ReportJob shared secret is required.", context.RequestAborted);
        });
        app.Map("/health", a => a.Run(HealthAsync));
        app.Map("/metrics", a => a.Run(MetricsAsync));
        app.UseMiddleware<Hangfire.Dashboard.AspNetCoreDashboardMiddleware>(storage, new DashboardOptions
        {
            AppPath = null,
            DashboardTitle = "ReportJob",
            // Never show a connection string (it may hold a password).
            DisplayStorageConnectionString = false,
            // RemoteAccessGate above has decided already; Hangfire's default filter would refuse every remote request.
            Authorization = [],
        }, DashboardRoutes.Routes);
        await app.StartAsync(cancellationToken);
        _app = app;
        Addresses = app.Urls.ToList();
        Log.StatusListening(_logger, string.Join(", ", Addresses));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private async Task HealthAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        IReadOnlyList<JobStatus> jobs;
        try
        {
            jobs = overview.Read();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HealthStorageFailed(_logger, ex);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { status = "down", jobServer = server.Running, error = "job storage: " + ex.Message }, context.RequestAborted);
            return;
        }

        context.Response.StatusCode = server.Running ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsJsonAsync(new
        {
            status = server.Running ? "ok" : "down",
            jobServer = server.Running,
            jobs = jobs.Select(j => new
            {
                job = j.Name,
                enabled = j.Enabled,
                cron = j.Cron,
                registered = j.Registered,
                nextRunUtc = j.NextRunUtc,
                lastRunUtc = j.LastRunUtc,
                lastState = j.LastState,
                error = j.Error,
            }),
        }, context.RequestAborted);
    }

    private async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await metrics.ExportAsync(context.Response.Body, context.RequestAborted);
    }
}
