using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Scheduling;

public sealed class SchedulingHostTests
{
    [Fact]
    public async Task Run_SecondLevelCronOnSqlite_EachJobRunsRetriesAndRecordsOutcome()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var probe = new WorkProbe();
        var host = await SchedulerHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["Scheduling:Jobs:collect-snapshots:Cron"] = "*/2 * * * * ?",
            ["Scheduling:Jobs:ingest-captures:Cron"] = "0/10 * * * * ?",
            ["Scheduling:Jobs:daily-report:Cron"] = "*/3 * * * * ?",
            ["Scheduling:Jobs:daily-report:CatchUp"] = "true",
            ["Scheduling:Jobs:mail-report:Enabled"] = "true",
            ["Scheduling:Jobs:retention:Cron"] = "*/2 * * * * ?",
            ["Scheduling:Jobs:ingest-iis-logs:Enabled"] = "false",
            ["Scheduling:Retry:Attempts"] = "3",
            ["Scheduling:Retry:InitialDelay"] = "00:00:01",
            ["Scheduling:Retry:MaxDelay"] = "00:00:02",
        }, services =>
        {
            services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.CollectSnapshots, probe));
            services.AddSingleton<IScheduledWork>(new FlakyWork(JobNames.IngestCaptures, 2, probe));
            services.AddSingleton<IScheduledWork>(new ContinuingWork(JobNames.DailyReport, JobNames.MailReport, probe));
            services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.MailReport, probe));
            services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.IngestIisLogs, probe));
        });
        try
        {
            var runs = host.Services.GetRequiredService<JobRunStore>();
            await WaitUntilAsync(async () =>
            {
                var all = await runs.RecentAsync(500, null, default);
                bool Ok(string job) => all.Any(r => r.Job == job && r.Outcome == "ok");
                return all.Count(r => r.Job == JobNames.CollectSnapshots && r.Outcome == "ok") >= 2
                    && all.Any(r => r.Job == JobNames.IngestCaptures && r.Outcome == "ok" && r.Attempt == 2)
                    && Ok(JobNames.DailyReport) && Ok(JobNames.MailReport) && Ok(JobNames.Retention);
            }, TimeSpan.FromSeconds(40));

            var flaky = (await runs.RecentAsync(500, JobNames.IngestCaptures, default)).OrderBy(r => r.Id).ToList();
            // The occurrence failed twice, was retried with back-off under the same scheduled time, then succeeded.
            Assert.Equal(["retrying", "retrying", "ok"], flaky.Take(3).Select(r => r.Outcome));
            Assert.Equal([0, 1, 2], flaky.Take(3).Select(r => r.Attempt));
            Assert.Equal(["schedule", "retry", "retry"], flaky.Take(3).Select(r => r.TriggerKind));
            Assert.Single(flaky.Take(3).Select(r => r.ScheduledAt).Distinct());
            Assert.Contains("injected failure 1", flaky[0].Error, StringComparison.Ordinal);
            Assert.True(flaky[1].StartedAt - flaky[0].FinishedAt >= TimeSpan.FromSeconds(0.9), "first retry waits InitialDelay");

            var mail = (await runs.RecentAsync(50, JobNames.MailReport, default)).Last();
            var report = (await runs.RecentAsync(50, JobNames.DailyReport, default)).Last();
            Assert.Equal("continuation", mail.TriggerKind);
            Assert.Equal(report.ScheduledAt, mail.ScheduledAt);
            Assert.Equal("file:///reports/report.html", report.Link);

            var ok = (await runs.RecentAsync(500, JobNames.CollectSnapshots, default)).Where(r => r.Outcome == "ok").ToList();
            Assert.All(ok, r => Assert.True(r.FinishedAt >= r.StartedAt));
            Assert.All(ok, r => Assert.Equal(0, r.ScheduledAt.Second % 2));
            Assert.Equal(0, probe.Count(JobNames.IngestIisLogs));
        }
        finally
        {
            await SchedulerHost.StopAsync(host);
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > timeout)
            {
                Assert.Fail($"Condition not met within {timeout.TotalSeconds} s");
            }

            await Task.Delay(200);
        }
    }
}
