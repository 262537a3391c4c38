using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Reports;
using ReportJob.Scheduling;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.Snapshots;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Scheduling;

public sealed partial class SchedulingHostTests(ITestOutputHelper output)
{
    /// <summary>
    /// The job server of <c>reportjob run</c> on a real SQLite file, with second-level cron: the features' own works run
    /// (collect from this machine and from a server whose ssh port is closed, render, mail, IIS inbox; retention through `reportjob jobs run`), an ingest
    /// made to fail twice is retried with back-off and then succeeds, the report's continuation mails it; the outcomes
    /// are read back from Hangfire's storage, its dashboard pages and `reportjob jobs list` (a process of its own), and
    /// /metrics, scraped meanwhile, shows each server's connections (as ss counts them) and the failed server's failures.
    /// </summary>
    [ToolFact("ss", "ssh")]
    public async Task Run_SecondLevelCronOnSqlite_JobsRunRetryContinueAndShowEverywhere()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var held = await LoopbackConnections.OpenAsync(clientsPerListener: 6);
        var closedPort = ClosedPort();
        var probe = new WorkProbe();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = db.ConnectionString,
            ["Status:Enabled"] = "true",
            ["Status:Urls"] = "http://127.0.0.1:0",
            ["Snapshots:LocalPorts:0"] = held.Port4.ToString(CultureInfo.InvariantCulture),
            ["Snapshots:LocalPorts:1"] = held.Port6.ToString(CultureInfo.InvariantCulture),
            ["Snapshots:Timeout"] = "00:00:05",
            ["Snapshots:Servers:0:Name"] = "local",
            ["Snapshots:Servers:0:Source"] = "Local",
            ["Snapshots:Servers:1:Name"] = "ex02",
            ["Snapshots:Servers:1:Source"] = "Ssh",
            ["Snapshots:Servers:1:Host"] = "127.0.0.1",
            ["Snapshots:Servers:1:Port"] = closedPort.ToString(CultureInfo.InvariantCulture),
            ["Snapshots:Servers:1:KnownHostsFile"] = Path.Combine(db.Directory, "known_hosts"),
            ["Mail:To:0"] = "exchange-team@example.com",
            ["Scheduling:Jobs:collect-snapshots:Cron"] = "*/2 * * * * *",
            ["Scheduling:Jobs:ingest-captures:Cron"] = "*/5 * * * * *",
            ["Scheduling:Jobs:ingest-iis-logs:Cron"] = "*/3 * * * * *",
            ["Scheduling:Jobs:daily-report:Cron"] = "*/4 * * * * *",
            ["Scheduling:Jobs:daily-report:CatchUp"] = "true",
            ["Scheduling:Jobs:mail-report:Cron"] = "",
            // On demand: run by `reportjob jobs run` below, so that its last state in `jobs list` is known.
            ["Scheduling:Jobs:retention:Cron"] = "",
            ["Scheduling:Retry:Attempts"] = "3",
            ["Scheduling:Retry:InitialDelay"] = "00:00:01",
            ["Scheduling:Retry:MaxDelay"] = "00:00:02",
        };
        var host = await SchedulerHost.StartAsync(db, settings, new FlakyWork(JobNames.IngestCaptures, 2, probe));
        try
        {
            var storage = host.Services.GetRequiredService<JobStorage>();
            var url = host.Services.GetRequiredService<DashboardServer>().Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(url) };

            // /metrics while the server collects: each server's connections and the failed server's failures.
            string metrics = "";
            await SchedulerHost.WaitUntilAsync(async () =>
            {
                metrics = await http.GetStringAsync("/metrics");
                return Metric(metrics, "reportjob_collection_failures", "ex02") >= 1 && Metric(metrics, "reportjob_server_connections", "local") is not null;
            }, TimeSpan.FromSeconds(30), "a collection of local and a failed one of ex02 in /metrics");
            var ss = SsTable.Read("established", TcpState.Established, held.Ports).Count + SsTable.Read("close-wait", TcpState.CloseWait, held.Ports).Count;
            output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("reportjob_", StringComparison.Ordinal))));
            Assert.Equal(12, ss);
            Assert.Equal(ss, Metric(metrics, "reportjob_server_connections", "local"));
            Assert.Equal(0, Metric(metrics, "reportjob_collection_failures", "local"));
            Assert.Null(Metric(metrics, "reportjob_server_connections", "ex02"));
            Assert.Equal(0, Metric(metrics, "reportjob_server_load_deviation", "local"));

            IReadOnlyList<HangfireJob> jobs = [];
            bool Done(string job, int count = 1) => jobs.Count(j => j.Name == job && j.State == "Succeeded") >= count;
            await SchedulerHost.WaitUntilAsync(() =>
            {
                jobs = HangfireJobs(storage);
                return Done(JobNames.CollectSnapshots, 2) && Done(JobNames.IngestIisLogs)
                    && Done(JobNames.DailyReport) && Done(JobNames.MailReport)
                    && Done(JobNames.IngestCaptures);
            }, TimeSpan.FromSeconds(45), "every job succeeded, the flaky one after two retries");

            // The ingest failed twice, was retried after 1 s and then 2 s (doubling back-off), each time for the same
            // occurrence, and succeeded on the third attempt; Hangfire kept each error.
            var flaky = jobs.First(j => j.Name == JobNames.IngestCaptures && j.State == "Succeeded");
            var retries = flaky.History.Where(h => h.StateName == "Scheduled").ToList();
            Assert.StartsWith("Retry attempt 1 of 3: injected failure 1", retries[0].Reason, StringComparison.Ordinal);
            Assert.StartsWith("Retry attempt 2 of 3: injected failure 2", retries[1].Reason, StringComparison.Ordinal);
            Assert.Equal([1.0, 2.0], retries.Select(r => Math.Round((Parse(r.Data["EnqueueAt"]) - Parse(r.Data["ScheduledAt"])).TotalSeconds)));
            Assert.Equal(3, flaky.Servers.Count);
            Assert.Equal(3, probe.Runs.Count(r => r.Job == JobNames.IngestCaptures && r.Scheduled == flaky.Time));

            // The report's continuation mailed it: mail-report waited for daily-report's job, with its occurrence.
            var mail = jobs.First(j => j.Name == JobNames.MailReport && j.State == "Succeeded");
            var parentId = mail.History.Single(h => h.StateName == "Awaiting").Data["ParentId"];
            var report = jobs.Single(j => j.Id == parentId);
            Assert.Equal(JobNames.DailyReport, report.Name);
            Assert.Equal("Succeeded", report.State);
            Assert.Equal(report.Time, (DateTimeOffset?)mail.Args[1]);
            var day = DailyReportWork.DayBefore(report.Time!.Value, new ReportOptions());
            var eml = Path.Combine(db.Directory, "mail", ReportFiles.MailFile(day));
            Assert.True(File.Exists(eml), eml);
            Assert.Contains("exchange-team@example.com", await File.ReadAllTextAsync(eml), StringComparison.Ordinal);
            Assert.All(jobs.Where(j => j.Name == JobNames.CollectSnapshots && j.State == "Succeeded"), j => Assert.Equal(0, j.Time!.Value.Second % 2));

            // The dashboard shows the outcomes: the flaky job's page with its errors and success, the recurring jobs with
            // their last state, and our collection page with the failed server.
            var details = await http.GetStringAsync($"/jobs/details/{flaky.Id}");
            Assert.Contains("injected failure 1", details, StringComparison.Ordinal);
            Assert.Contains("injected failure 2", details, StringComparison.Ordinal);
            Assert.Contains("Succeeded", details, StringComparison.Ordinal);
            var recurring = await http.GetStringAsync("/recurring");
            foreach (var job in new[] { JobNames.CollectSnapshots, JobNames.IngestCaptures, JobNames.IngestIisLogs, JobNames.DailyReport, JobNames.MailReport, JobNames.Retention })
            {
                Assert.Contains(job, recurring, StringComparison.Ordinal);
            }

            var collection = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await http.GetStringAsync("/collection"));
            var ex02 = collection.QuerySelector("#servers tr[data-server='ex02']")!;
            Assert.Contains("danger", ex02.ClassName, StringComparison.Ordinal);
            Assert.Contains("ssh", ex02.TextContent, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(ReportFiles.Html(day), collection.QuerySelector("#last-report")!.TextContent, StringComparison.Ordinal);

            var config = ReportJobProcess.WriteConfig(Path.Combine(db.Directory, "settings.json"), settings);

            // `reportjob jobs run`, from outside, has the running job server run the job and reports its result.
            var (runExit, run) = await ReportJobProcess.RunAsync(db.Directory, TimeSpan.FromSeconds(60), "jobs", "run", JobNames.Retention, "--timeout", "00:00:30", "--config", config);
            output.WriteLine(run);
            Assert.Equal(0, runExit);
            Assert.Matches(new Regex(@"^retention: Succeeded \(Hangfire job \d+\): purged \d+ row\(s\)/file\(s\)", RegexOptions.Multiline), run);

            // `reportjob jobs list`, a process of its own on the same files, shows the last states.
            var (exit, list) = await ReportJobProcess.RunAsync(db.Directory, TimeSpan.FromSeconds(60), "jobs", "list", "--config", config);
            output.WriteLine(list);
            Assert.Equal(0, exit);
            Assert.Matches(new Regex(@"^retention\s+on demand\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+Succeeded\s*$", RegexOptions.Multiline), list);
            foreach (var job in new[] { JobNames.CollectSnapshots, JobNames.IngestCaptures, JobNames.IngestIisLogs, JobNames.DailyReport })
            {
                // The last run of a job with a second-level cron may have started a moment ago.
                Assert.Matches(new Regex("^" + job + @"\s.*\s(Succeeded|Processing|Enqueued|Scheduled|Awaiting)\s*$", RegexOptions.Multiline), list);
            }

            Assert.Matches(new Regex(@"^mail-report\s+on demand\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(Succeeded|Processing|Enqueued|Awaiting)\s*$", RegexOptions.Multiline), list);
        }
        finally
        {
            await SchedulerHost.StopAsync(host);
        }
    }

    internal static IReadOnlyList<HangfireJob> HangfireJobs(JobStorage storage) => HangfireJob.ReadAll(storage);

    /// <summary>A metric's value for one server in the Prometheus text, or null when it has none.</summary>
    internal static double? Metric(string text, string name, string server)
    {
        var m = Regex.Match(text, "^" + Regex.Escape(name) + @"\{server=""" + Regex.Escape(server) + @"""\} (\S+)$", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    internal static int ClosedPort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static DateTime Parse(string hangfireTime) => Hangfire.Common.JobHelper.DeserializeDateTime(hangfireTime);
}
