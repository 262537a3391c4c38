using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Scheduling;

/// <summary>
/// The status page, <c>POST /jobs/{name}/run</c> and <c>/health</c>, on Kestrel inside the job server's process. It is a
/// small web application of its own (the app's host is a generic host, not a web host) over the same singletons.
/// </summary>
internal sealed class StatusPageServer(
    StatusReader reader,
    JobControl control,
    IOptions<StatusOptions> options,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<StatusPageServer>();
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

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(o.Urls);
        builder.Services.AddRoutingCore();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        // Keys live in memory: a restart only invalidates pages that are open, and no key file is left anywhere.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider(loggerFactory));
        builder.Services.AddAntiforgery();
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
                ? "Remote access to the ReportJob status page is not enabled (Status:AllowRemote)."
                : "The ReportJob shared secret is required.", context.RequestAborted);
        });
        app.MapGet("/", PageAsync);
        app.MapPost("/jobs/{name}/run", RunNowAsync);
        app.MapGet("/health", HealthAsync);
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

    private async Task PageAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var snapshot = await reader.ReadAsync(context.RequestAborted);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var triggered = context.Request.Query["triggered"].ToString();
        var notice = triggered.Length > 0 ? $"Triggered {triggered}; it shows below once it has run (reload)." : null;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(StatusPageHtml.Render(snapshot, tokens.FormFieldName, tokens.RequestToken ?? "", notice), context.RequestAborted);
    }

    private async Task RunNowAsync(HttpContext context, string name, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Missing or invalid antiforgery token: reload the status page and try again.", context.RequestAborted);
            return;
        }

        if (await control.TriggerAsync(name, context.RequestAborted) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("No such job is scheduled: " + name, context.RequestAborted);
            return;
        }

        // Post/redirect/get: a reload does not trigger the job again.
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "/?triggered=" + Uri.EscapeDataString(name);
    }

    private async Task HealthAsync(HttpContext context)
    {
        var s = await reader.ReadAsync(context.RequestAborted);
        context.Response.StatusCode = s.SchedulerRunning ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new
        {
            status = s.SchedulerRunning ? "ok" : "down",
            scheduler = s.SchedulerState,
            node = s.Node,
            clustered = s.Clustered,
            jobs = s.Jobs.Select(j => new
            {
                job = j.Name,
                enabled = j.Enabled,
                scheduled = j.Scheduled,
                nextFireUtc = j.NextFireUtc,
                lastOutcome = j.LastRun?.Outcome,
                lastStartedUtc = j.LastRun?.StartedAt,
                lastFinishedUtc = j.LastRun?.FinishedAt,
                lastError = j.LastRun?.Error,
            }),
        }, context.RequestAborted);
    }
}
