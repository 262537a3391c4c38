using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Scheduling;

namespace ReportJob.Cli;

internal static class JobsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the jobs: schedule, next run, last run and its state (from Hangfire's job storage).");
        list.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, (services, token) =>
        {
            var zone = services.GetRequiredService<IOptions<SchedulingOptions>>().Value.ResolveTimeZone();
            var jobs = services.GetRequiredService<JobOverview>().Read();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"job",-20} {"schedule",-20} {"next run (" + zone.Id + ")",-26} {"last run (" + zone.Id + ")",-26} last state"));
            foreach (var job in jobs)
            {
                var schedule = !job.Enabled ? "disabled" : !job.Registered ? "(not registered)" : string.IsNullOrWhiteSpace(job.Cron) ? "on demand" : job.Cron;
                var state = job.Error is { Length: > 0 } error ? (job.LastState + " (" + error + ")").Trim() : job.LastState;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{job.Name,-20} {schedule,-20} {Local(job.NextRunUtc, zone),-26} {Local(job.LastRunUtc, zone),-26} {state}"));
            }

            return Task.FromResult(ExitCodes.Ok);
        }, configureServices: RunCommand.AddJobServer));

        var name = new Argument<string>("name") { Description = "The job, as under Scheduling:Jobs (e.g. daily-report)." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for the outcome (hh:mm:ss).",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
        };
        var runNow = new Command("run", """
            Trigger a job now through Hangfire's job storage, as the dashboard's "Trigger now" does, and wait for its outcome
            (retries included). A running job server (`reportjob run`, any of several) takes it. Exit code 0 succeeded,
            1 failed or no outcome in time.
            """) { name, timeout };
        runNow.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var job = parse.GetValue(name)!;
            var control = services.GetRequiredService<JobControl>();
            var id = control.Trigger(job)
                ?? throw new UsageException($"No job '{job}' in the job storage: is it enabled under Scheduling:Jobs, with its work installed, and has `reportjob run` started once?");
            Console.Error.WriteLine($"Triggered {job} (Hangfire job {id}); waiting for a job server to run it…");
            var outcome = await control.WaitAsync(id, parse.GetValue(timeout), token);
            if (outcome is null)
            {
                Console.Error.WriteLine($"No outcome within {parse.GetValue(timeout)}: is `reportjob run` running against this database?");
                return ExitCodes.RunFailed;
            }

            Console.WriteLine($"{job}: {outcome.State} (Hangfire job {outcome.JobId}): {outcome.Detail}");
            return outcome.State == Hangfire.States.SucceededState.StateName ? ExitCodes.Ok : ExitCodes.RunFailed;
        }, configureServices: RunCommand.AddJobServer));

        return new Command("jobs", "Scheduled jobs.") { list, runNow };
    }

    private static string Local(DateTime? utc, TimeZoneInfo zone) => utc is null
        ? ""
        : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
