using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Scheduling;

public sealed class DashboardTests(ITestOutputHelper output)
{
    /// <summary>Only collect-snapshots is enabled, at 03:00: nothing runs by itself during a test.</summary>
    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["Status:Enabled"] = "true",
        ["Scheduling:TimeZone"] = "Europe/Zurich",
        ["Scheduling:Jobs:collect-snapshots:Cron"] = "0 3 * * *",
        ["Scheduling:Jobs:ingest-captures:Enabled"] = "false",
        ["Scheduling:Jobs:ingest-iis-logs:Enabled"] = "false",
        ["Scheduling:Jobs:daily-report:Enabled"] = "false",
        ["Scheduling:Jobs:mail-report:Enabled"] = "false",
        ["Scheduling:Jobs:retention:Enabled"] = "false",
    };

    /// <summary>
    /// The Hangfire dashboard in real headless Chromium: the recurring jobs page lists the job with its schedule, "Trigger
    /// now" clicked in the page (its POST carrying the antiforgery token the page holds) runs the job, and the job then
    /// shows among the succeeded ones. The same POST without the token is refused.
    /// </summary>
    [ToolFact("chromium")]
    public async Task Dashboard_InHeadlessChromium_TriggerNowRunsTheJobAndShowsItSucceeded()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var probe = new WorkProbe();
        var host = await SchedulerHost.StartAsync(db, new Dictionary<string, string?>(Quiet) { ["Status:Urls"] = "http://127.0.0.1:0" }, new CountingWork(JobNames.CollectSnapshots, probe));
        try
        {
            var url = host.Services.GetRequiredService<DashboardServer>().Addresses.Single();
            await using var chromium = await HeadlessChromium.StartAsync();
            await chromium.NavigateAsync(url + "/recurring");
            const string checkbox = "document.querySelector(\"input.js-jobs-list-checkbox[value='collect-snapshots']\")";
            await chromium.WaitForAsync(checkbox, TimeSpan.FromSeconds(20));
            var row = (string)(await chromium.EvaluateAsync(checkbox + ".closest('tr').innerText"))!;
            output.WriteLine(row);
            Assert.Contains("0 3 * * *", row, StringComparison.Ordinal);
            Assert.Equal(0, probe.Count(JobNames.CollectSnapshots));

            await chromium.EvaluateAsync(checkbox + ".click(); document.querySelector(\"button.js-jobs-list-command[data-url$='/recurring/trigger']\").click(); true");
            await SchedulerHost.WaitUntilAsync(() => probe.Count(JobNames.CollectSnapshots) == 1, TimeSpan.FromSeconds(20), "the job triggered in the page ran");
            // Its state becomes Succeeded a moment after the work returns.
            var overview = host.Services.GetRequiredService<JobOverview>();
            await SchedulerHost.WaitUntilAsync(() => overview.Read().Single(j => j.Name == JobNames.CollectSnapshots).LastState == "Succeeded", TimeSpan.FromSeconds(20), "the triggered job succeeded");

            await chromium.NavigateAsync(url + "/jobs/succeeded");
            await chromium.WaitForAsync("document.querySelector('.js-jobs-list-row') && document.body.innerText.includes('collect-snapshots')", TimeSpan.FromSeconds(20));
            var succeeded = (string)(await chromium.EvaluateAsync("document.querySelector('.js-jobs-list').innerText"))!;
            output.WriteLine(succeeded);
            Assert.Contains("collect-snapshots", succeeded, StringComparison.Ordinal);
            Assert.Empty(chromium.ConsoleErrors);

            // Without the page's antiforgery token the dashboard refuses the same POST.
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var forged = await http.PostAsync("/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", JobNames.CollectSnapshots)]));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(1, probe.Count(JobNames.CollectSnapshots));
        }
        finally
        {
            await SchedulerHost.StopAsync(host);
        }
    }

    /// <summary>
    /// From another host (a network namespace with its own address), the dashboard, /health and /metrics refuse a request
    /// without the shared secret (401, asking for basic authentication) and answer one that carries it, as header or as
    /// the basic-authentication password; this host's loopback needs nothing.
    /// </summary>
    [NetnsFact]
    public async Task Dashboard_FromAnotherHost_RefusedWithoutTheSecret()
    {
        using var ns = NetworkNamespace.Create();
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        const string secret = "correct-horse-battery-staple";
        var host = await SchedulerHost.StartAsync(db, new Dictionary<string, string?>(Quiet)
        {
            ["Status:Urls"] = $"http://{ns.HostAddress}:0;http://127.0.0.1:0",
            ["Status:AllowRemote"] = "true",
            ["Status:SharedSecret"] = secret,
        });
        try
        {
            var addresses = host.Services.GetRequiredService<DashboardServer>().Addresses;
            var remote = addresses.Single(a => a.Contains(ns.HostAddress, StringComparison.Ordinal));
            var local = addresses.Single(a => a.Contains("127.0.0.1", StringComparison.Ordinal));
            foreach (var path in new[] { "/", "/recurring", "/health", "/metrics", "/collection" })
            {
                Assert.Equal(401, ns.Status(remote + path));
                Assert.Equal(401, ns.Status(remote + path, "-H", "X-ReportJob-Secret: wrong-secret-wrong-secret"));
                Assert.Equal(200, ns.Status(remote + path, "-H", "X-ReportJob-Secret: " + secret));
                Assert.Equal(200, ns.Status(remote + path, "-u", "monitor:" + secret));
            }

            var (_, headers) = ns.Run("curl", "-s", "-D", "-", "-o", "/dev/null", remote + "/");
            Assert.Contains("WWW-Authenticate: Basic", headers, StringComparison.OrdinalIgnoreCase);
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(local + "/recurring")).StatusCode);
        }
        finally
        {
            await SchedulerHost.StopAsync(host);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", false, null, "Allow")]
    [InlineData("::1", false, null, "Allow")]
    [InlineData("::ffff:127.0.0.1", false, null, "Allow")]
    [InlineData("192.0.2.10", false, null, "Forbidden")]
    [InlineData("2001:db8::10", false, null, "Forbidden")]
    [InlineData(null, false, null, "Forbidden")]
    [InlineData("192.0.2.10", true, null, "Unauthorized")]
    [InlineData("192.0.2.10", true, "wrong-secret-wrong-secret", "Unauthorized")]
    [InlineData("192.0.2.10", true, "header:correct-horse-battery", "Allow")]
    [InlineData("192.0.2.10", true, "basic:correct-horse-battery", "Allow")]
    public void Decide_RemoteAddress_RefusedUnlessConfiguredWithSecret(string? remote, bool allowRemote, string? presented, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        if (presented?.StartsWith("basic:", StringComparison.Ordinal) == true)
        {
            context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("monitor:" + presented[6..]));
        }
        else if (presented is not null)
        {
            context.Request.Headers[RemoteAccessGate.SecretHeader] = presented.StartsWith("header:", StringComparison.Ordinal) ? presented[7..] : presented;
        }

        var options = new StatusOptions { AllowRemote = allowRemote, SharedSecret = allowRemote ? "correct-horse-battery" : null };
        Assert.Equal(expected, RemoteAccessGate.Decide(context, options).ToString());
    }
}
