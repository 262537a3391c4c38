using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ReportJob.Scheduling;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Scheduling;

public sealed class ClusteredSchedulingTests(ITestOutputHelper output)
{
    [Theory]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Run_TwoClusteredHostsOnPostgres_EachTriggerRunsOnceAndKilledJobIsRecovered(StorageProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var admin = Environment.GetEnvironmentVariable(ProviderDataAttribute.PostgresVariable)!;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var roles = new[] { "rj_node_a_" + suffix, "rj_node_b_" + suffix };
        var probe = new WorkProbe();
        var hosts = new Dictionary<string, IHost>();
        try
        {
            foreach (var role in roles)
            {
                // One login role per node, so that a node can be cut off from the database like a crashed machine.
                await ExecAsync(admin, $"CREATE ROLE {role} LOGIN SUPERUSER");
            }

            foreach (var (name, role) in new[] { ("A", roles[0]), ("B", roles[1]) })
            {
                var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role }.ConnectionString;
                hosts[name] = await SchedulerHost.StartAsync(db, new Dictionary<string, string?>
                {
                    ["Storage:ConnectionString"] = cs,
                    ["Scheduling:Clustered"] = "true",
                    // The node cut off below logs every failed database call; expected here.
                    ["Logging:LogLevel:Quartz"] = "None",
                    ["Logging:LogLevel:ReportJob"] = "None",
                    ["Scheduling:ClusterCheckinInterval"] = "00:00:01",
                    ["Scheduling:ClusterCheckinMisfireThreshold"] = "00:00:02",
                    ["Scheduling:Jobs:collect-snapshots:Cron"] = "*/2 * * * * ?",
                    ["Scheduling:Jobs:ingest-captures:Cron"] = "*/3 * * * * ?",
                    ["Scheduling:Jobs:daily-report:Cron"] = "",
                    ["Scheduling:Jobs:retention:Enabled"] = "false",
                }, services =>
                {
                    services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.CollectSnapshots, probe, name));
                    services.AddSingleton<IScheduledWork>(new CountingWork(JobNames.IngestCaptures, probe, name));
                    services.AddSingleton<IScheduledWork>(new SlowWork(JobNames.DailyReport, TimeSpan.FromSeconds(6), probe, name));
                });
            }

            // Several triggers with both nodes competing for them.
            await Task.Delay(TimeSpan.FromSeconds(13));
            await using (var c = await db.Get<IDbConnectionFactory>().OpenAsync(default))
            {
                var perTrigger = (await c.QueryAsync<(string Job, DateTime Scheduled, long Runs, string Nodes)>("""
                    SELECT job, scheduled_at, COUNT(*), string_agg(node, ',') FROM job_run
                    WHERE trigger_kind = 'schedule' GROUP BY job, scheduled_at ORDER BY job, scheduled_at
                    """)).ToList();
                foreach (var job in perTrigger.GroupBy(r => r.Job))
                {
                    Trace($"{job.Key}: {job.Count()} triggers, runs per trigger {string.Join(",", job.Select(r => r.Runs))}, nodes {string.Join(" ", job.Select(r => r.Nodes))}");
                }

                Assert.All(perTrigger, r => Assert.Equal(1, r.Runs));
                var collect = perTrigger.Where(r => r.Job == JobNames.CollectSnapshots).Select(r => r.Scheduled).ToList();
                Assert.True(collect.Count >= 5, $"collect-snapshots ran for {collect.Count} triggers");
                // No trigger was lost either: consecutive scheduled times are one cron step apart.
                Assert.All(collect.Zip(collect.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(2), p.Second - p.First));
                Assert.True(perTrigger.Count(r => r.Job == JobNames.IngestCaptures) >= 3);
                Assert.All(await c.QueryAsync<string>("SELECT outcome FROM job_run WHERE trigger_kind = 'schedule' AND finished_at IS NOT NULL"), o => Assert.Equal("ok", o));
            }

            // A slow job starts on one node; that node is cut off from the database mid-job, like a crash.
            var requestId = await hosts["B"].Services.GetRequiredService<JobControl>().TriggerAsync(JobNames.DailyReport, default);
            Assert.NotNull(requestId);
            await SchedulingHostTests.WaitUntilAsync(() => Task.FromResult(probe.Runs.Any(r => r.Job == JobNames.DailyReport)), TimeSpan.FromSeconds(20));
            var victim = probe.Runs.First(r => r.Job == JobNames.DailyReport).Host.Split(':')[0];
            var survivor = victim == "A" ? "B" : "A";
            var killed = Stopwatch.StartNew();
            Trace("victim " + victim);
            var victimRole = roles[victim == "A" ? 0 : 1];
            await ExecAsync(admin, $"ALTER ROLE {victimRole} NOLOGIN");
            await ExecAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{victimRole}'");

            await SchedulingHostTests.WaitUntilAsync(() => Task.FromResult(probe.Runs.Any(r => r.Job == JobNames.DailyReport && r.Host == survivor + ":start")), TimeSpan.FromSeconds(30));
            var recoveredAfter = killed.Elapsed;
            await SchedulingHostTests.WaitUntilAsync(() => Task.FromResult(probe.Runs.Any(r => r.Job == JobNames.DailyReport && r.Host == survivor + ":end")), TimeSpan.FromSeconds(20));
            Trace($"daily-report started on {victim}, node cut off; {survivor} recovered it after {recoveredAfter.TotalSeconds:0.0} s");

            foreach (var (n, h) in hosts)
            {
                Trace($"node {n}: instance id '{(await h.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler()).SchedulerInstanceId}'");
            }

            // The work's end comes before its run is recorded as finished: wait for the record.
            var store = hosts[survivor].Services.GetRequiredService<JobRunStore>();
            await SchedulingHostTests.WaitUntilAsync(async () => (await store.RecentAsync(100, JobNames.DailyReport, default)).All(r => r.Outcome != "running"), TimeSpan.FromSeconds(20));
            var runs = (await store.RecentAsync(100, JobNames.DailyReport, default)).OrderBy(r => r.Id).ToList();
            Assert.Equal(["abandoned", "ok"], runs.Select(r => r.Outcome));
            Assert.Equal(["manual", "recovery"], runs.Select(r => r.TriggerKind));
            Assert.NotEqual(runs[0].Node, runs[1].Node);
            Assert.True(recoveredAfter < TimeSpan.FromSeconds(15), $"recovery took {recoveredAfter}");

            // The machine comes back: its late completion must not run or record the job a second time.
            await ExecAsync(admin, $"ALTER ROLE {victimRole} LOGIN");
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(2, probe.Runs.Count(r => r.Job == JobNames.DailyReport && r.Host.EndsWith(":start", StringComparison.Ordinal)));
            Assert.Equal(2, (await hosts[survivor].Services.GetRequiredService<JobRunStore>().RecentAsync(100, JobNames.DailyReport, default)).Count);
        }
        finally
        {
            // A node cut off from the database cannot finish its shutdown (Quartz retries the store until it answers).
            foreach (var role in roles)
            {
                await ExecAsync(admin, $"ALTER ROLE {role} LOGIN");
            }

            foreach (var host in hosts.Values)
            {
                await SchedulerHost.StopAsync(host, TimeSpan.FromSeconds(5));
            }

            foreach (var role in roles)
            {
                await ExecAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
            }

            await db.DisposeAsync();
            foreach (var role in roles)
            {
                await ExecAsync(admin, $"DROP ROLE IF EXISTS {role}");
            }
        }
    }

    private void Trace(string line) => output.WriteLine(line);

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await c.ExecuteAsync(sql);
    }
}
