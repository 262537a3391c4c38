using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ReportJob.Scheduling;

public sealed partial class SchedulingOptions : IValidatableObject
{
    public const string Section = "Scheduling";

    /// <summary>Time zone the cron expressions are read in: an IANA (<c>Europe/Zurich</c>) or Windows (<c>W. Europe Standard Time</c>) id.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The jobs by name: <c>collect-snapshots</c>, <c>ingest-captures</c>, <c>ingest-iis-logs</c>, <c>daily-report</c>, <c>mail-report</c>, <c>retention</c>.</summary>
    public Dictionary<string, JobScheduleOptions> Jobs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Retries of a failed run.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// For jobs with <c>CatchUp</c>: <c>Once</c> runs a report missed while no job server ran once, when one starts again;
    /// <c>All</c> runs it once per missed occurrence, each for its own day.
    /// </summary>
    public CatchUpMode CatchUpMissedReports { get; set; } = CatchUpMode.Once;

    /// <summary>Jobs that may run at the same time on this job server (Hangfire workers; one job never runs twice at once).</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// How often the job server looks for due recurring jobs, retries and queued jobs. A job starts up to this late, and a
    /// run of a job without <c>CatchUp</c> that could not start within twice this long of its time is skipped.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:15")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PostgreSQL and SQL Server: a job taken by a job server that stopped without finishing it (crash, power loss, lost
    /// network) is taken again by another job server this long after its server last renewed it (a running job renews it
    /// every fifth of this). SQLite, one job server, cannot renew it: there it is Hangfire's 30 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On Ctrl+C / SIGTERM / service stop running jobs are cancelled and given this long to stop before the process exits.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the <c>retention</c> job purges.</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>The configured zone, resolved (validated at start).</summary>
    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryResolve(TimeZone))
        {
            yield return new ValidationResult($"Scheduling:TimeZone: '{TimeZone}' is not a known IANA or Windows time zone id", [nameof(TimeZone)]);
        }

        // Cron expressions are checked by Hangfire's own parser when the job server registers them (JobServerService).
        foreach (var name in Jobs.Keys)
        {
            if (!JobName().IsMatch(name))
            {
                yield return new ValidationResult($"Scheduling:Jobs:{name}: a job name is lower-case letters, digits and '-'", [nameof(Jobs)]);
            }
        }

        foreach (var r in ValidateRetry(Retry))
        {
            yield return r;
        }

        foreach (var r in Validation(Retention, "Scheduling:Retention"))
        {
            yield return r;
        }

        for (var i = 0; i < Retention.Tables.Count; i++)
        {
            var rule = Retention.Tables[i];
            var key = $"Scheduling:Retention:Tables:{i}";
            if (!Identifier().IsMatch(rule.Table))
            {
                yield return new ValidationResult($"{key}:Table: '{rule.Table}' is not a table name (letters, digits, underscore)", [nameof(Retention)]);
            }

            if (!Identifier().IsMatch(rule.TimeColumn))
            {
                yield return new ValidationResult($"{key}:TimeColumn: '{rule.TimeColumn}' is not a column name (letters, digits, underscore)", [nameof(Retention)]);
            }

            if (rule.Days < 1)
            {
                yield return new ValidationResult($"{key}:Days must be at least 1", [nameof(Retention)]);
            }
        }

        for (var i = 0; i < Retention.Files.Count; i++)
        {
            var rule = Retention.Files[i];
            var key = $"Scheduling:Retention:Files:{i}";
            if (string.IsNullOrWhiteSpace(rule.Folder))
            {
                yield return new ValidationResult($"{key}:Folder is required", [nameof(Retention)]);
            }

            if (string.IsNullOrWhiteSpace(rule.Pattern) || rule.Pattern.Contains('/', StringComparison.Ordinal) || rule.Pattern.Contains('\\', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{key}:Pattern must be a file name pattern without folders", [nameof(Retention)]);
            }

            if (rule.Days < 1)
            {
                yield return new ValidationResult($"{key}:Days must be at least 1", [nameof(Retention)]);
            }
        }
    }

    private static IEnumerable<ValidationResult> ValidateRetry(RetryOptions retry)
    {
        if (retry.Attempts > 0 && retry.MaxDelay < retry.InitialDelay)
        {
            yield return new ValidationResult("Scheduling:Retry:MaxDelay must not be shorter than Scheduling:Retry:InitialDelay", [nameof(Retry)]);
        }

        foreach (var r in Validation(retry, "Scheduling:Retry"))
        {
            yield return r;
        }
    }

    private static IEnumerable<ValidationResult> Validation(object nested, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(nested, new ValidationContext(nested), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(prefix + ": " + r.ErrorMessage, r.MemberNames));
    }

    private static bool TryResolve(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex Identifier();
}
