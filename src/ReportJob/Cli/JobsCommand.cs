using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Scheduling;

namespace ReportJob.Cli;

internal static class JobsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the jobs: schedule, next run and last outcome (from the job store and job_run).");
        list.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var s = await services.GetRequiredService<StatusReader>().ReadAsync(token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"job",-20} {"schedule",-20} {"next run (" + s.Zone.Id + ")",-26} {"last outcome",-12} last started"));
            foreach (var job in s.Jobs)
            {
                var schedule = !job.Enabled ? "disabled" : !job.Scheduled ? "(not scheduled)" : string.IsNullOrWhiteSpace(job.Cron) ? "on demand" : job.Cron;
                var next = job.NextFireUtc is { } n ? TimeZoneInfo.ConvertTime(n, s.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
                var last = job.LastRun is { } r ? r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{job.Name,-20} {schedule,-20} {next,-26} {job.LastRun?.Outcome ?? "",-12} {last}"));
            }

            return ExitCodes.Ok;
        }, configureServices: RunCommand.AddJobServer));

        var name = new Argument<string>("name") { Description = "The job, as under Scheduling:Jobs (e.g. daily-report)." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for the outcome (hh:mm:ss).",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
        };
        var runNow = new Command("run", """
            Trigger a job now through the job store and wait for its outcome. A running job server (`reportjob run`, any node
            of a cluster) picks it up, never beside a run of the same job. Exit code 0 ok, 1 failed or no outcome in time.
            """) { name, timeout };
        runNow.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var job = parse.GetValue(name)!;
            var control = services.GetRequiredService<JobControl>();
            var requestId = await control.TriggerAsync(job, token)
                ?? throw new UsageException($"No job '{job}' in the job store: is it enabled under Scheduling:Jobs, with its work installed, and has `reportjob run` started once?");
            Console.Error.WriteLine($"Triggered {job}; waiting for a job server to run it…");
            var run = await control.WaitAsync(requestId, parse.GetValue(timeout), token);
            if (run is null)
            {
                Console.Error.WriteLine($"No outcome within {parse.GetValue(timeout)}: is `reportjob run` running against this database?");
                return ExitCodes.RunFailed;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.Job}: {run.Outcome} on {run.Node} in {run.Duration?.TotalSeconds:0.00} s: {run.Error ?? run.Summary}"));
            return run.Outcome == "ok" ? ExitCodes.Ok : ExitCodes.RunFailed;
        }, configureServices: RunCommand.AddJobServer));

        return new Command("jobs", "Scheduled jobs.") { list, runNow };
    }
}
