using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed partial class StatusPageTests
{
    [ToolFact("chromium")]
    public async Task StatusPage_InHeadlessChromium_ListsJobsAndRunNowShowsInHistory()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await db.Get<SnapshotStore>().SaveFailureAsync(new SnapshotFailure("ex02", "ssh", new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), "ssh: connect to host ex02 port 22: <refused> & gone", TimeSpan.FromSeconds(3)), default);
        var probe = new WorkProbe();
        var host = await SchedulerHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["Status:Enabled"] = "true",
            ["Status:Urls"] = "http://127.0.0.1:0",
            ["Scheduling:TimeZone"] = "Europe/Zurich",
            // 03:00 daily: nothing runs by itself during the test.
            ["Scheduling:Jobs:collect-snapshots:Cron"] = "0 0 3 * * ?",
            ["Scheduling:Jobs:retention:Enabled"] = "false",
        }, services => services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.CollectSnapshots, probe)));
        try
        {
            var url = host.Services.GetRequiredService<StatusPageServer>().Addresses.Single();
            var page = new HtmlParser().ParseDocument(DumpDom(url + "/"));
            // The page can be served a moment before Quartz reports itself started: ask again, briefly.
            for (var i = 0; i < 20 && !page.QuerySelector("#scheduler")!.TextContent.Contains("Running", StringComparison.Ordinal); i++)
            {
                await Task.Delay(250);
                page = new HtmlParser().ParseDocument(DumpDom(url + "/"));
            }

            var job = page.QuerySelector("#jobs tr[data-job='collect-snapshots']");
            Assert.NotNull(job);
            Assert.Contains("0 0 3 * * ?", job.TextContent, StringComparison.Ordinal);
            Assert.Matches(@"\d{4}-\d\d-\d\d 03:00:00", job.TextContent);
            Assert.NotNull(job.QuerySelector("form[method='post'] button"));
            Assert.Contains("Running", page.QuerySelector("#scheduler")!.TextContent, StringComparison.Ordinal);
            // Encoded, not interpreted: the error text shows as written.
            Assert.Contains("<refused> & gone", page.QuerySelector("#servers")!.TextContent, StringComparison.Ordinal);
            Assert.Empty(page.QuerySelectorAll("#runs tr[data-job]"));

            // "Run now": post the form as the browser would, with the antiforgery cookie and field from the page.
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(url) };
            var html = await http.GetStringAsync("/");
            var form = new HtmlParser().ParseDocument(html).QuerySelector("#jobs tr[data-job='collect-snapshots'] form")!;
            var hidden = form.QuerySelector("input[type='hidden']")!;
            var fields = new Dictionary<string, string> { [hidden.GetAttribute("name")!] = hidden.GetAttribute("value")! };

            using (var forged = await http.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>())))
            {
                Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            }

            using (var posted = await http.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
            }

            await SchedulingHostTests.WaitUntilAsync(() => Task.FromResult(probe.Count(JobNames.CollectSnapshots) == 1), TimeSpan.FromSeconds(20));
            await SchedulingHostTests.WaitUntilAsync(async () =>
                (await host.Services.GetRequiredService<JobRunStore>().RecentAsync(10, null, default)).Any(r => r.Outcome == "ok"), TimeSpan.FromSeconds(10));

            var after = new HtmlParser().ParseDocument(DumpDom(url + "/?triggered=collect-snapshots"));
            var run = after.QuerySelector("#runs tr[data-job='collect-snapshots']");
            Assert.NotNull(run);
            Assert.Contains("manual", run.TextContent, StringComparison.Ordinal);
            Assert.Contains("ok", run.TextContent, StringComparison.Ordinal);
            Assert.Contains("Triggered collect-snapshots", after.QuerySelector("#notice")!.TextContent, StringComparison.Ordinal);

            var health = await http.GetStringAsync("/health");
            Assert.Contains("\"status\":\"ok\"", health, StringComparison.Ordinal);
            Assert.Contains("\"lastOutcome\":\"ok\"", health, StringComparison.Ordinal);
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

    private static string DumpDom(string url)
    {
        var profile = Path.Combine(Path.GetTempPath(), "reportjob-chromium-" + Guid.NewGuid().ToString("N"));
        try
        {
            return ExternalTools.Run("chromium",
                ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url],
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
